export { HUB_SCHEMAS, setUpHubRoles } from './roles.js';
export { SUBGRAPH_DEFINITIONS } from './subgraphs.js';
export { composeHub } from './compose.js';
export { startHub, type HubOptions, type RunningHub } from './stack.js';
