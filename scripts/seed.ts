// npm run seed: migrates every schema and loads the demo municipality (idempotent: existing rows stay).

import { startHub } from '@hub/all-in-one';
import { createLogger, readConfig, startOrRefuse } from '@hub/platform';

const config = readConfig();
const logger = createLogger('seed', config.logLevel, config.telemetry.logFormat);
const hub = await startOrRefuse('seed', () => startHub({ config, logger, ports: 'ephemeral', seed: 'force' }));
await hub.close();
console.log('Demo municipality loaded (みなみ野市 and ひがし山町).');
