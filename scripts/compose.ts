// npm run compose: regenerates schema/supergraph.graphql from the subgraphs' SDL.
// `npm run compose -- --check` fails when the checked-in file differs from a fresh composition.

import { readFile, writeFile } from 'node:fs/promises';
import { composeHub } from '@hub/all-in-one';
import { SUPERGRAPH_PATH } from '@hub/gateway/supergraph';

const fresh = composeHub();
const current = await readFile(SUPERGRAPH_PATH, 'utf8').catch(() => '');
if (process.argv.includes('--check')) {
  if (current !== fresh) {
    console.error('schema/supergraph.graphql is out of date: run npm run compose');
    process.exit(1);
  }
  console.log('schema/supergraph.graphql is up to date');
} else if (current === fresh) {
  console.log('schema/supergraph.graphql unchanged');
} else {
  await writeFile(SUPERGRAPH_PATH, fresh);
  console.log('schema/supergraph.graphql written');
}
