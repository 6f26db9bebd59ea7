/** `npm run docs:figures`: rewrites every CLI figure block in README.md and docs/*.md (see docsFigures.ts). */
import { updateDocs } from './docsFigures';

const changed = await updateDocs();
process.stdout.write(changed.length ? changed.map((f) => `${f}: updated`).join('\n') + '\n' : 'every figure block is up to date\n');
