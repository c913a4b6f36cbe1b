// Runs the employment (Hello Work) subgraph alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { employment } from './server.js';

await runStandalone(employment);
