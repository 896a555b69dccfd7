// npm run example -- <name> [args]: runs examples/<name>.ts with the rest of the arguments.
import * as fs from 'node:fs';
import * as path from 'node:path';

const name = process.argv[2];
const file = name && path.join(__dirname, `${name}.ts`);
if (!file || !fs.existsSync(file) || ['run', 'args'].includes(name)) {
  const names = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !['run.ts', 'args.ts'].includes(f));
  console.error(`usage: npm run example -- <name> [args]\nexamples: ${names.map((f) => f.slice(0, -3)).join(', ')}`);
  process.exit(2);
}
process.argv.splice(2, 1);
process.argv[1] = file;
require(file);
