// The engine keeps the supergraph's names one-byte (gateway/src/plan/one-byte-names.ts): checked in a
// process of its own, whose string table nothing else has filled, as a gateway's is at start.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { composeGuildSupergraph } from '../bench/guild/subgraphs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

// Makes names of the supergraph the process's copies, one of two ways, keeping what holds them; collects
// the garbage (V8 keeps a name only while something holds it); then reads back, through JSON.parse, the
// copy of each name V8 keeps: whether it is two-byte (the serializer's tag 'c', after a padding byte).
// - 'two-byte-text': names parsed from a two-byte text of the SDL and kept as property names, as
//   @apollo/federation-internals' graphql-js schemas keep the names of the text it printed;
// - 'federation': the supergraph built as @apollo/gateway builds it (validated, with its graphql-js
//   schemas). Whether its printed text comes out two-byte is federation-internals' affair: most fresh
//   processes show it, not every one.
// With 'hold', holdNamesOneByte runs first, as the engine runs it before the gateway builds its schemas.
const PROBE = `
import v8 from 'node:v8';
import { readFileSync } from 'node:fs';
import { parse, visit } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';
import { holdNamesOneByte } from '@hub/gateway/one-byte-names';
const [hold, source] = process.argv.slice(1);
const sdl = readFileSync(0, 'utf8');
if (hold === 'hold') holdNamesOneByte(sdl);
if (source === 'two-byte-text') {
  const names = {};
  visit(parse((sdl + '\\u3042').slice(0, -1)), { Name: (node) => { names[node.value] = true; } });
  globalThis.kept = names;
} else {
  const supergraph = Supergraph.build(sdl);
  supergraph.schema.validate();
  globalThis.kept = [supergraph, supergraph.schema.toGraphQLJSSchema(), supergraph.apiSchema().toGraphQLJSSchema()];
}
globalThis.gc();
const names = Object.keys(JSON.parse('{"users":1,"topProducts":1,"shippingEstimate":1,"upc":1}'));
const twoByte = names.filter((name) => v8.serialize(name).subarray(2, 4).includes(0x63));
console.log(JSON.stringify(twoByte));
`;

async function twoByteNames(hold: boolean, source: 'two-byte-text' | 'federation'): Promise<string[]> {
  const sdl = composeGuildSupergraph({
    accounts: 'http://127.0.0.1:1/graphql',
    inventory: 'http://127.0.0.1:2/graphql',
    products: 'http://127.0.0.1:3/graphql',
    reviews: 'http://127.0.0.1:4/graphql',
  });
  const child = run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', PROBE, hold ? 'hold' : 'plain', source],
    { cwd: ROOT, timeout: 60_000 },
  );
  child.child.stdin!.end(sdl);
  return JSON.parse((await child).stdout) as string[];
}

describe('the supergraph’s names, one-byte', () => {
  it('names kept from a two-byte text of the schema are the two-byte copies every later object gets', async () => {
    expect(await twoByteNames(false, 'two-byte-text')).toEqual(['users', 'topProducts', 'shippingEstimate', 'upc']);
  });

  it('held first, every copy of them is one-byte, whatever text they are parsed from later', async () => {
    expect(await twoByteNames(true, 'two-byte-text')).toEqual([]);
  });

  it('held before @apollo/federation-internals builds the supergraph, every copy of them is one-byte', async () => {
    expect(await twoByteNames(true, 'federation')).toEqual([]);
  });
});
