// npm run build:ui: builds the pages served under /ui/ (packages/ui) now, whatever was built before.
// npm start, the browser tests and the bench build them by themselves when their sources changed.

import { buildUi } from '@hub/ui';

await buildUi();
