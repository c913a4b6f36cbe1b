// The supergraph's names as one-byte strings, for the life of the process.
//
// @apollo/federation-internals builds the graphql-js schemas the gateway keeps from a text it printed,
// which is a two-byte string even when every character of it is ASCII, so every name parsed from it is
// two-byte too. V8 keeps one copy of each property name (its string table) while something holds it: the
// schemas hold theirs, and every later object gets those copies as keys, the subgraphs' parsed answers
// included. One two-byte property name in a response makes the whole response text two-byte: twice the
// bytes to flatten when it is first measured and written, and no fast path for its UTF-8 (0.7 ms for a
// response of 87.6 KB).
//
// Making each name of the SDL a property name first, from the SDL's own one-byte text, before the gateway
// builds its schemas, keeps every later copy of those names one-byte.

import { graphql } from '../graphql-cjs.js';

const { parse, visit } = graphql;

/** Held for the life of the process: V8's string table keeps a name only while something holds it. */
const held: Record<string, true> = Object.create(null) as Record<string, true>;

/** Makes each name of the SDL a property name, so that the copy V8 keeps of it is the SDL's one-byte one. */
export function holdNamesOneByte(sdl: string): void {
  visit(parse(sdl), {
    Name(node) {
      held[node.value] = true;
    },
  });
}
