// Composes the supergraph from the six agency subgraphs and the hub's own, with the default
// development URLs (the gateway maps subgraph names to configured URLs at start).

import { composeSupergraph } from '@hub/gateway/supergraph';
import { HUB_SUBGRAPH_NAME, hubTypeDefs } from '@hub/gateway/hub';
import { readConfig, SUBGRAPH_NAMES, subgraphTypeDefs } from '@hub/platform';
import { SUBGRAPH_DEFINITIONS } from './subgraphs.js';

export function composeHub(): string {
  const defaults = readConfig({});
  return composeSupergraph([
    ...SUBGRAPH_NAMES.map((name) => ({
      name,
      url: defaults.subgraphs[name].url,
      typeDefs: subgraphTypeDefs(SUBGRAPH_DEFINITIONS[name]),
    })),
    { name: HUB_SUBGRAPH_NAME, url: 'http://127.0.0.1:4000/hub', typeDefs: hubTypeDefs() },
  ]);
}
