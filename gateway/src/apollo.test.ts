import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { GraphQLDataSourceRequestKind } from './apollo.js';

describe('Apollo internals the gateway relies on', () => {
  it('the request kind of an incoming operation is still where and what the gateway reads', () => {
    // The public options type discriminates on this very enum: a copy elsewhere would not type-check here.
    const incoming: GraphQLDataSourceProcessOptions['kind'] = GraphQLDataSourceRequestKind.INCOMING_OPERATION;
    expect(incoming).toBe('incoming operation');
    expect(GraphQLDataSourceRequestKind.HEALTH_CHECK).toBe('health check');
    expect(GraphQLDataSourceRequestKind.LOADING_SCHEMA).toBe('loading schema');
  });
});
