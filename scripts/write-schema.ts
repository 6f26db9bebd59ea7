// Writes models/schema.json from the same zod schema that types and validates models (one source).
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { Model } from '../src/lib/engine/model/schema';

const schema = z.toJSONSchema(Model, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
const out = {
	...schema,
	$id: 'https://celltherapy-he.local/models/schema.json',
	title: 'Health-economic cohort model (format version 1)'
};
writeFileSync('models/schema.json', JSON.stringify(out, null, '\t') + '\n');
console.log('wrote models/schema.json');
