/**
 * Factories mathjs 15 exports but does not declare in its types: the ones the engine's parser
 * instance is built from (src/lib/engine/model/mathParser.ts).
 */
import type { FactoryFunctionMap } from 'mathjs';

type Factory = FactoryFunctionMap[string];

declare module 'mathjs' {
	export const createAccessorNode: Factory;
	export const createArrayNode: Factory;
	export const createAssignmentNode: Factory;
	export const createBlockNode: Factory;
	export const createConditionalNode: Factory;
	export const createConstantNode: Factory;
	export const createFunctionAssignmentNode: Factory;
	export const createFunctionNode: Factory;
	export const createIndexNode: Factory;
	export const createIsBounded: Factory;
	export const createNode: Factory;
	export const createNumber: Factory;
	export const createNumeric: Factory;
	export const createObjectNode: Factory;
	export const createOperatorNode: Factory;
	export const createParenthesisNode: Factory;
	export const createParse: Factory;
	export const createRangeNode: Factory;
	export const createRelationalNode: Factory;
	export const createResultSet: Factory;
	export const createSize: Factory;
	export const createSymbolNode: Factory;
	export const createTyped: Factory;
}
