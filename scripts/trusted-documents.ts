// npm run trusted-documents -- <files.graphql…>: prints the trusted-documents manifest for
// TRUSTED_DOCUMENTS, `{ "<sha256>": "<operation text>" }`, one entry per file, its text without its last newline.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { documentHash, operationText } from '@hub/gateway/limits';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run -s trusted-documents -- <operation.graphql…> > trusted-documents.json');
  process.exit(2);
}
// Paths are taken from where the command was typed (INIT_CWD; npm runs scripts in the project's folder).
const base = process.env['INIT_CWD'] ?? process.cwd();
const texts = await Promise.all(
  files.map((file) =>
    readFile(resolve(base, file), 'utf8').catch(() => {
      console.error(`trusted-documents: cannot read ${file}`);
      process.exit(2);
    }),
  ),
);
// A file ends with a newline, which a printed operation does not: each is registered without it (or a byte
// order mark before it), and the gateway takes its text sent with them too.
const operations = texts.map(operationText);
console.log(JSON.stringify(Object.fromEntries(operations.map((text) => [documentHash(text), text])), null, 2));
