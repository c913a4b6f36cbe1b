// The gateway engine on a foreign supergraph (the public four-subgraph benchmark): the same answer as
// stock @apollo/gateway, with one request per subgraph per plan level and each distinct entity asked
// for once per fetch; with `executor: 'stock'` the same engine runs @apollo/gateway's own executor.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startEngine, type RunningEngine } from '@hub/gateway/engine';
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
