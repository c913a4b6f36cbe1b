// npm run schema:check [-- --supergraph <file>] [--allow-breaking]
// Composes the subgraphs and compares the result with schema/supergraph.graphql (or the file given):
// every change as breaking, dangerous or safe, and the hub's category rules (docs/integrating.md).
// Exit 0: nothing breaking and no error; 1: an error, a breaking change, or no composition; 2: bad arguments.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkSchema, formatSchemaReport } from '@hub/testkit/schema-check';

const usage = 'usage: npm run schema:check [-- --supergraph <file>] [--allow-breaking]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      supergraph: { type: 'string' },
      'allow-breaking': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`schema:check: ${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
let baseline: string | undefined;
if (values.supergraph) {
  try {
    // A path is taken from where the command was typed (INIT_CWD; npm runs scripts in the project's folder).
    baseline = await readFile(resolve(process.env['INIT_CWD'] ?? process.cwd(), values.supergraph), 'utf8');
  } catch {
    console.error(`schema:check: cannot read ${values.supergraph}`);
    process.exit(2);
  }
}
let report;
try {
  report = await checkSchema({ ...(baseline ? { baseline } : {}), allowBreaking: values['allow-breaking'] });
} catch (error) {
  console.error(`schema:check: the baseline is not a supergraph: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}
console.log(formatSchemaReport(report, values.supergraph ?? 'schema/supergraph.graphql'));
process.exit(report.ok ? 0 : 1);
