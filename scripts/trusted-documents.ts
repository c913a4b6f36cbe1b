// npm run trusted-documents -- <files.graphql…>: prints the trusted-documents manifest for
// TRUSTED_DOCUMENTS, `{ "<sha256>": "<operation text>" }`, one entry per file, its text exactly.

import { readFile } from 'node:fs/promises';
import { documentHash } from '@hub/gateway/limits';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run -s trusted-documents -- <operation.graphql…> > trusted-documents.json');
  process.exit(1);
}
const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
console.log(JSON.stringify(Object.fromEntries(texts.map((text) => [documentHash(text), text])), null, 2));
