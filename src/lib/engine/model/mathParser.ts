/**
 * The mathjs parser alone: a mathjs instance built from only the factories that `parse` needs
 * to turn text into a syntax tree (the typed-function core, string-to-number conversion, the
 * node classes and the parser), instead of `parseDependencies`, whose node classes carry what
 * evaluating a tree would need (units, matrices, subset, BigNumber, Complex, Fraction).
 *
 * The trees are the same: `parse` builds them from the text with the same tokenizer, the same
 * number conversion (`number`, through `numeric`) and the same node classes; only what a node
 * needs to be evaluated by mathjs is left out, and expressions.ts never asks mathjs to evaluate
 * (it walks the tree into its own closures). Leaving it out means mathjs has less to build when
 * the parser is first used (typed functions for units and matrices) and a bundle less to load:
 * the command line starts sooner (ARCHITECTURE.md, "The command line").
 *
 * Of the dependencies the node classes declare, `Unit` and the typed core's number classes are
 * optional and left out; `subset` (read only when an AccessorNode or AssignmentNode is
 * evaluated) is required, and is given as a function that refuses to run.
 */
import {
	create,
	createAccessorNode,
	createArrayNode,
	createAssignmentNode,
	createBlockNode,
	createConditionalNode,
	createConstantNode,
	createFunctionAssignmentNode,
	createFunctionNode,
	createIndexNode,
	createIsBounded,
	createNode,
	createNumber,
	createNumeric,
	createObjectNode,
	createOperatorNode,
	createParenthesisNode,
	createParse,
	createRangeNode,
	createRelationalNode,
	createResultSet,
	createSize,
	createSymbolNode,
	createTyped,
	factory,
	type MathNode
} from 'mathjs';

/** `subset` for the node classes that declare it: never called, since no tree is evaluated by mathjs. */
const createSubsetRefused = factory('subset', [], () => (): never => {
	throw new Error('mathjs evaluation is not available: model expressions are compiled by expressions.ts');
});

const NODE_FACTORIES = {
	createNode,
	createAccessorNode,
	createArrayNode,
	createAssignmentNode,
	createBlockNode,
	createConditionalNode,
	createConstantNode,
	createFunctionAssignmentNode,
	createFunctionNode,
	createIndexNode,
	createObjectNode,
	createOperatorNode,
	createParenthesisNode,
	createRangeNode,
	createRelationalNode,
	createSymbolNode
};

let parseText: ((text: string) => MathNode) | undefined;

/**
 * Parses text into a mathjs syntax tree, as mathjs's `parse` does (the instance is built on the
 * first call). Throws mathjs's SyntaxError for text it cannot read.
 *
 * @example
 * parseMath('c_drug * 2').type // 'OperatorNode'
 */
export function parseMath(text: string): MathNode {
	if (parseText === undefined) {
		const parser = create(
			{ createTyped, createNumber, createNumeric, createIsBounded, createSize, createResultSet, createSubsetRefused, ...NODE_FACTORIES, createParse },
			{}
		);
		parseText = parser.parse as (text: string) => MathNode;
	}
	return parseText(text);
}
