// Runs the welfare subgraph alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { welfare } from './server.js';

await runStandalone(welfare);
