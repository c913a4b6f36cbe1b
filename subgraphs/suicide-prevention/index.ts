// Runs the suicide-prevention subgraph alone, as its own service.

import { runStandalone } from '@hub/platform/standalone';
import { suicidePrevention } from './server.js';

await runStandalone(suicidePrevention);
