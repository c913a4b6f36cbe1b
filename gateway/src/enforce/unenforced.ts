// The gateway's data source with authorization off, to measure what enforcement costs: the same
// transport, signing and deduplication, but no decision and no access log. Never used in production.

import type { DataCategory } from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { DeduplicatingDataSource } from '../engine.js';
import { IDENTITY_HEADERS, setIdentityHeaders, type Fetcher } from './signing-fetcher.js';

export interface UnenforcedDataSourceOptions {
  readonly url: string;
  readonly fetcher: Fetcher;
  /** Every category the subgraph holds: the signature lets it answer all of them. */
  readonly categories: readonly DataCategory[];
}

export class UnenforcedDataSource extends DeduplicatingDataSource<GatewayContext> {
  private readonly categories: string;

  constructor(options: UnenforcedDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.categories = [...new Set(options.categories)].sort().join(',');
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<DeduplicatingDataSource<GatewayContext>['willSendRequest']>>[0]) {
    if (!context.caller) return;
    setIdentityHeaders(request.http?.headers, context.caller, context.requestId);
    request.http?.headers.set(IDENTITY_HEADERS.categories, this.categories);
  }
}
