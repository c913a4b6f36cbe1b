// What every resolver and data source of the gateway knows about the request it serves.

import type { Domain } from '@hub/platform';
import type { HubStore } from './hub/store.js';

/** The authenticated caller: a staff member (or system) acting for one agency. */
export interface Caller {
  readonly agencyId: string;
  readonly domain: Domain;
  readonly staffId: string;
  readonly roles: readonly string[];
}

export interface GatewayContext {
  readonly caller: Caller;
  readonly requestId: string;
  /** The purpose stated in X-Hub-Purpose, recorded with each decision. */
  readonly purpose: string | null;
  /** The hub's own data, with fresh loaders for this request. */
  readonly hub: HubStore;
}
