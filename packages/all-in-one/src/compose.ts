// Composes the supergraph from the six agency subgraphs and the hub's own, with the default
// development URLs (the gateway maps subgraph names to configured URLs at start).

import { composeSupergraph } from '@hub/gateway/supergraph';
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
        typeDefs: subgraphTypeDefs(edit ? { ...definition, sdl: edit(name, definition.sdl) } : definition),
      };
    }),
    { name: HUB_SUBGRAPH_NAME, url: 'http://127.0.0.1:4000/hub', typeDefs: hubTypeDefs() },
  ]);
}
