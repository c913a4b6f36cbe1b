// Runs the seniors' work subgraph (シルバー人材センター) alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { seniorsWork } from './server.js';

await runStandalone(seniorsWork);
