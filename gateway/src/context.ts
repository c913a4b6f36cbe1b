// What every resolver and data source of the gateway knows about the request it serves.

import type { GraphQLFormattedError } from 'graphql';
import type { Domain } from '@hub/platform';
import type { PolicyPort } from './enforce/fetch.js';
import type { HubStore } from './hub/store.js';
import type { SystemReads } from './hub/system-reads.js';

/** The authenticated caller: a staff member (or system) acting for one agency. */
export interface Caller {
  readonly agencyId: string;
  readonly domain: Domain;
  /** The municipality codes the agency serves (CONTRACT.md "Jurisdiction"). */
  readonly jurisdiction: readonly string[];
  readonly staffId: string;
  readonly roles: readonly string[];
}

export interface GatewayContext {
  readonly caller: Caller;
  readonly requestId: string;
  /** The purpose stated in X-Hub-Purpose, recorded with each decision. */
  readonly purpose: string | null;
  /**
   * The version of the legal bases the request's first statement saw (read with the caller's agency):
   * the bases the gateway keeps are current for this request when they are of it or newer.
   */
  readonly basesVersion?: bigint;
  /**
   * The decision and the access log for this request, as the enforcement seam uses them (one bases read
   * per request, shared): the hub's own records are released through it too.
   */
  policyFor(operationName: string | null): PolicyPort;
  /** The hub's own reads of agency systems for facts no caller is shown (hub/system-reads.ts). */
  readonly systemReads: SystemReads;
  /** The hub's own data, with fresh loaders for this request. */
  readonly hub: HubStore;
  /**
   * Runs an operation through the gateway as this same caller, so every read it makes is decided and
   * audited like the caller's own (the hub's derived answers, such as participation matching, use it).
   */
  execute<TData>(query: string, variables: Record<string, unknown>): Promise<ExecutionOutcome<TData>>;
}

export interface ExecutionOutcome<TData> {
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLFormattedError[];
}
