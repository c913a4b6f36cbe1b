// The gateway engine on a foreign supergraph (the public four-subgraph benchmark): the same answer as
// stock @apollo/gateway, with one request per subgraph per plan level and each distinct entity asked
// for once per fetch; with `executor: 'stock'` the same engine runs @apollo/gateway's own executor.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { createDirectPost, startEngine, type RunningEngine } from '@hub/gateway/engine';
import { readsOnly, type PlannedFetch } from '@hub/gateway/engine';
import { createLogger } from '@hub/platform';
import {
  composeGuildSupergraph,
  GUILD_QUERY,
  startGuildSubgraphs,
  type RunningGuildSubgraphs,
} from '../bench/guild/subgraphs.js';

let subgraphs: RunningGuildSubgraphs;
let engine: RunningEngine;
let engineStock: RunningEngine;
let stock: ApolloServer;

beforeAll(async () => {
  subgraphs = await startGuildSubgraphs();
  const supergraphSdl = composeGuildSupergraph(subgraphs.urls);
  engine = await startEngine({ supergraphSdl, logger: createLogger('test', 'silent') });
  engineStock = await startEngine({ supergraphSdl, logger: createLogger('test', 'silent'), executor: 'stock' });
  stock = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  await stock.start();
});

afterAll(async () => {
  await engine?.close();
  await engineStock?.close();
  await stock?.stop();
  await subgraphs?.close();
});

function counted() {
  const total = (key: 'calls' | 'representations') =>
    Object.values(subgraphs.counts).reduce((sum, c) => sum + c[key], 0);
  return { calls: total('calls'), representations: total('representations') };
}

async function measured<T>(run: () => Promise<T>): Promise<{ result: T; calls: number; representations: number }> {
  const before = counted();
  const result = await run();
  const after = counted();
  return {
    result,
    calls: after.calls - before.calls,
    representations: after.representations - before.representations,
  };
}

async function post(url: string, query: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as Record<string, unknown>;
}

it('answers the deep query exactly as stock @apollo/gateway, in one request per subgraph per plan level', async () => {
  const viaStock = await measured(async () => {
    const response = await stock.executeOperation({ query: GUILD_QUERY });
    return response.body.kind === 'single' ? response.body.singleResult : null;
  });
  const viaEngineStock = await measured(() => post(engineStock.url, GUILD_QUERY));
  const sentBefore = { ...engine.counts };
  const viaEngine = await measured(() => post(engine.url, GUILD_QUERY));

  expect(viaEngine.result['errors']).toBeUndefined();
  expect(viaEngine.result['data']).toEqual(viaStock.result?.data);
  expect(viaEngineStock.result['data']).toEqual(viaStock.result?.data);
  // The plan's 16 fetches: the stock executor sends each on its own and repeats entities.
  expect(viaStock.calls).toBe(16);
  expect(viaStock.representations).toBe(465);
  expect(viaEngineStock.calls).toBe(16);
  expect(viaEngineStock.representations).toBe(27);
  // Four levels: accounts + products, reviews, products + accounts, inventory.
  expect(viaEngine.calls).toBe(6);
  expect(viaEngine.representations).toBe(27);
  expect(engine.counts.requests - sentBefore.requests).toBe(6);
  expect(engine.counts.fetches - sentBefore.fetches).toBe(16);
});

it('gives the stock answer for other shapes, and where it hands the plan to the stock executor', async () => {
  const cases = [
    // Another selection over three levels.
    '{ topProducts(first: 2) { upc name reviews { id author { id username reviews { id } } } } }',
    // @include: run by the stock executor.
    '{ topProducts(first: 1) { upc name @include(if: false) inStock } }',
    // Introspection next to data.
    '{ __typename topProducts(first: 1) { __typename upc } }',
  ];
  for (const query of cases) {
    const expected = await stock.executeOperation({ query });
    const body = expected.body.kind === 'single' ? expected.body.singleResult : null;
    expect(await post(engine.url, query)).toEqual(JSON.parse(JSON.stringify(body)));
  }
});

it('sends only the fetches of a merged group that have entities to ask for, with the stock answer', async () => {
  // Level two asks reviews for the users' and the products' reviews in one request; with no product, only
  // the users' fetch is sent, on its own operation.
  const query = '{ users { id reviews { id } } topProducts(first: 0) { upc reviews { id } } }';
  const expected = await stock.executeOperation({ query });
  const body = expected.body.kind === 'single' ? expected.body.singleResult : null;
  const sentBefore = { ...engine.counts };
  const viaEngine = await measured(() => post(engine.url, query));
  expect(viaEngine.result).toEqual(JSON.parse(JSON.stringify(body)));
  expect(viaEngine.result['errors']).toBeUndefined();
  // accounts and products at the first level, reviews at the second: one request carrying one fetch.
  expect(viaEngine.calls).toBe(3);
  expect(engine.counts.requests - sentBefore.requests).toBe(3);
  expect(engine.counts.fetches - sentBefore.fetches).toBe(3);
});

describe('reads in flight are shared', () => {
  let slow: RunningGuildSubgraphs;
  let slowEngine: RunningEngine;

  beforeAll(async () => {
    // Subgraphs that take 50 ms to answer, so that concurrent requests are surely in flight together.
    slow = await startGuildSubgraphs({ delayMs: 50 });
    slowEngine = await startEngine({
      supergraphSdl: composeGuildSupergraph(slow.urls),
      logger: createLogger('test', 'silent'),
    });
  });

  afterAll(async () => {
    await slowEngine?.close();
    await slow?.close();
  });

  const slowCalls = () => Object.values(slow.counts).reduce((sum, c) => sum + c.calls, 0);

  it('eight identical queries at once cost the subgraphs about one query’s calls, each answered in full', async () => {
    const expected = await post(slowEngine.url, GUILD_QUERY);
    const before = slowCalls();
    await post(slowEngine.url, GUILD_QUERY);
    const one = slowCalls() - before;
    expect(one).toBe(6);

    const beforeEight = slowCalls();
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(slowEngine.url, GUILD_QUERY)));
    const eight = slowCalls() - beforeEight;
    for (const answer of answers) expect(answer).toEqual(expected);
    // Without sharing, 48; each answer is still its own object, merged and shaped on its own.
    expect(eight).toBeLessThan(2 * one);
    expect(eight).toBeGreaterThanOrEqual(one);
  });

  it('a request in flight is shared only with an identical one: other selections are sent on their own', async () => {
    const queries = [
      '{ topProducts(first: 2) { upc name } }',
      '{ topProducts(first: 3) { upc name } }',
      '{ users { id name } }',
    ];
    const before = slowCalls();
    const answers = await Promise.all(queries.map((query) => post(slowEngine.url, query)));
    expect(slowCalls() - before).toBe(3);
    expect((answers[0]!['data'] as { topProducts: unknown[] }).topProducts).toHaveLength(2);
    expect((answers[1]!['data'] as { topProducts: unknown[] }).topProducts).toHaveLength(3);
  });

  it('the transport shares what it is told only reads, and sends the rest each time', async () => {
    const { post: send, close } = createDirectPost();
    try {
      const body = JSON.stringify({ query: '{ users { id } }' });
      const before = slowCalls();
      await Promise.all([1, 2, 3].map(() => send(slow.urls.accounts, body, { share: true })));
      expect(slowCalls() - before).toBe(1);
      await Promise.all([1, 2, 3].map(() => send(slow.urls.accounts, body)));
      expect(slowCalls() - before).toBe(4);
      // Only what is in flight: answered, the next identical read is sent again.
      await send(slow.urls.accounts, body, { share: true });
      expect(slowCalls() - before).toBe(5);
    } finally {
      await close();
    }
  });

  it('a mutation’s fetch is never shared: a request reads only when every fetch it carries is a query’s', () => {
    const fetch = (operationKind: string) => ({ node: { operationKind } }) as unknown as Pick<PlannedFetch, 'node'>;
    expect(readsOnly([fetch('query'), fetch('query')])).toBe(true);
    expect(readsOnly([fetch('mutation')])).toBe(false);
    expect(readsOnly([fetch('query'), fetch('mutation')])).toBe(false);
    expect(readsOnly([fetch('subscription')])).toBe(false);
  });
});
