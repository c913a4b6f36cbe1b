// Composes the supergraph from the six agency subgraphs and the hub's own, with the default
// development URLs (the gateway maps subgraph names to configured URLs at start).

import { parse } from 'graphql';
import { composeSupergraph, CompositionError } from '@hub/gateway/supergraph';
import { HUB_SUBGRAPH_NAME, hubTypeDefs } from '@hub/gateway/hub';
import { readConfig, SUBGRAPH_NAMES, subgraphTypeDefs, type SubgraphName } from '@hub/platform';
import { SUBGRAPH_DEFINITIONS } from './subgraphs.js';

/**
 * The supergraph of the subgraphs' SDL as it is, or as `edit` changes it (a proposed change, in the
 * schema check's tests). Throws CompositionError when they do not compose.
 */
export function composeHub(edit?: (subgraph: SubgraphName, sdl: string) => string): string {
  const defaults = readConfig({});
  return composeSupergraph([
    ...SUBGRAPH_NAMES.map((name) => {
      const definition = SUBGRAPH_DEFINITIONS[name];
      return {
        name,
        url: defaults.subgraphs[name].url,
        typeDefs: subgraphTypeDefs({
          ...definition,
          sdl: parsable(name, edit ? edit(name, definition.sdl) : definition.sdl),
        }),
      };
    }),
    { name: HUB_SUBGRAPH_NAME, url: 'http://127.0.0.1:4000/hub', typeDefs: hubSdl() },
  ]);
}

/** The subgraph's SDL, once it parses; else a CompositionError naming the subgraph and the line of its file. */
function parsable(name: SubgraphName, sdl: string): string {
  try {
    parse(sdl);
    return sdl;
  } catch (error) {
    // graphql-js's syntax errors, by name: the test runner may load another copy of graphql than this module's.
    if ((error as Error).name !== 'GraphQLError') throw error;
    const where = (error as { locations?: { line: number; column: number }[] }).locations?.[0];
    const at = where ? ` (schema.graphql ${where.line}:${where.column})` : '';
    throw new CompositionError(`composition failed:\n  [${name}] ${(error as Error).message}${at}`);
  }
}

/** The hub's own SDL, parsed; else a CompositionError naming the hub (its SDL is several files, joined). */
function hubSdl(): ReturnType<typeof hubTypeDefs> {
  try {
    return hubTypeDefs();
  } catch (error) {
    if ((error as Error).name !== 'GraphQLError') throw error;
    throw new CompositionError(`composition failed:\n  [hub] ${(error as Error).message} (gateway/src/hub/*.graphql)`);
  }
}
