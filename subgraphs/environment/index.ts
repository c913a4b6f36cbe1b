// Runs the environment subgraph alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { environment } from './server.js';

await runStandalone(environment);
