// Runs the child-dv subgraph alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { childDv } from './server.js';

await runStandalone(childDv);
