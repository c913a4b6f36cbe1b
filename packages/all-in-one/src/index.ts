// The whole hub in one process, as `npm start` runs it: every subgraph and the gateway on one database,
// with the roles, the composed supergraph and the subgraphs' definitions it is made of.

export { HUB_SCHEMAS, setUpHubRoles } from './roles.js';
export { SUBGRAPH_DEFINITIONS } from './subgraphs.js';
export { composeHub } from './compose.js';
export { startHub, type HubOptions, type RunningHub } from './stack.js';
