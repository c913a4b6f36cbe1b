// The gateway engine on a foreign supergraph (the public four-subgraph benchmark): the same answer as
// stock @apollo/gateway, with each distinct entity asked for once per subgraph call.

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
let stock: ApolloServer;

beforeAll(async () => {
  subgraphs = await startGuildSubgraphs();
  const supergraphSdl = composeGuildSupergraph(subgraphs.urls);
  engine = await startEngine({ supergraphSdl, logger: createLogger('test', 'silent') });
  stock = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  await stock.start();
});

afterAll(async () => {
  await engine?.close();
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

it('answers the deep query exactly as stock @apollo/gateway, sending each distinct entity once per call', async () => {
  const viaStock = await measured(async () => {
    const response = await stock.executeOperation({ query: GUILD_QUERY });
    return response.body.kind === 'single' ? response.body.singleResult : null;
  });
  const viaEngine = await measured(async () => {
    const response = await fetch(engine.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: GUILD_QUERY }),
    });
    return (await response.json()) as Record<string, unknown>;
  });

  expect(viaEngine.result['errors']).toBeUndefined();
  expect(viaEngine.result['data']).toEqual(viaStock.result?.data);
  // The same plan: the same number of subgraph calls; the stock gateway repeats entities.
  expect(viaEngine.calls).toBe(viaStock.calls);
  expect(viaStock.representations).toBe(465);
  expect(viaEngine.representations).toBe(27);
});
