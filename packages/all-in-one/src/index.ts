export { composeHub } from './compose.js';
export { startHub, type HubOptions, type RunningHub } from './stack.js';
export { SUBGRAPH_DEFINITIONS } from './subgraphs.js';
