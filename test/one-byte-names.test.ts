// The engine keeps the supergraph's names one-byte (gateway/src/plan/one-byte-names.ts): checked in a
// process of its own, whose string table nothing else has filled, as a gateway's is at start.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { composeGuildSupergraph } from '../bench/guild/subgraphs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

// Builds the supergraph as @apollo/gateway does (validated, with its graphql-js schemas) and keeps it all,
// as a gateway does; collects the garbage, since V8 keeps a name only while something holds it; then reads
// back, through JSON.parse, the copy of each name V8 keeps: whether it is two-byte (the serializer's tag
// 'c', after a padding byte).
const PROBE = `
import v8 from 'node:v8';
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { holdNamesOneByte } from './gateway/src/plan/one-byte-names.ts';
const sdl = readFileSync(0, 'utf8');
if (process.argv[1] === 'hold') holdNamesOneByte(sdl);
const supergraph = Supergraph.build(sdl);
supergraph.schema.validate();
globalThis.kept = [supergraph, supergraph.schema.toGraphQLJSSchema(), supergraph.apiSchema().toGraphQLJSSchema()];
globalThis.gc();
const names = Object.keys(JSON.parse('{"users":1,"topProducts":1,"shippingEstimate":1,"upc":1}'));
const twoByte = names.filter((name) => v8.serialize(name).subarray(2, 4).includes(0x63));
console.log(JSON.stringify(twoByte));
`;

async function twoByteNames(hold: boolean): Promise<string[]> {
  const sdl = composeGuildSupergraph({
    accounts: 'http://127.0.0.1:1/graphql',
    inventory: 'http://127.0.0.1:2/graphql',
    products: 'http://127.0.0.1:3/graphql',
    reviews: 'http://127.0.0.1:4/graphql',
  });
  const child = run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', PROBE, hold ? 'hold' : 'plain'],
    { cwd: ROOT, timeout: 60_000 },
  );
  child.child.stdin!.end(sdl);
  return JSON.parse((await child).stdout) as string[];
}

describe('the supergraph’s names, one-byte', () => {
  it('without it, the names @apollo/federation-internals parses again are the two-byte copies every object gets', async () => {
    // If this fails, federation-internals no longer makes two-byte names, and holdNamesOneByte may go.
    expect(await twoByteNames(false)).toEqual(['users', 'topProducts', 'shippingEstimate', 'upc']);
  });

  it('held before the gateway builds its schemas, every copy of them is one-byte', async () => {
    expect(await twoByteNames(true)).toEqual([]);
  });
});
