import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { SUBGRAPH_NAMES } from '@hub/platform';
import { hubSubgraphSdl, hubSubgraphServedSdl, startStandInSubgraph } from './stand-in.js';
import { testSigningKeys } from './hub.js';

describe("a subgraph's SDL as a department's own server serves it", () => {
  it.each(SUBGRAPH_NAMES)('hubSubgraphServedSdl(%s) builds alone, with the category directive composed', (name) => {
    const schema = buildSubgraphSchema({ typeDefs: parse(hubSubgraphServedSdl(name)) });
    expect(printSchema(schema)).toContain('enum DataCategory');
    expect(hubSubgraphServedSdl(name)).toMatch(/@composeDirective\(name: "@category"\)/);
    expect(hubSubgraphServedSdl(name)).toContain(hubSubgraphSdl(name));
  });

  it('hubSubgraphSdl alone is the domain SDL a stand-in adds to: employment names types it does not define', () => {
    expect(() => buildSubgraphSchema({ typeDefs: parse(hubSubgraphSdl('employment')) })).toThrow(/DashboardTable/);
  });
});

describe('a stand-in on a port that is taken', () => {
  it('says the port is in use and how to get a free one, not only EADDRINUSE', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await expect(
        startStandInSubgraph({
          name: 'employment',
          typeDefs: hubSubgraphSdl('employment'),
          resolvers: {},
          verifyKeys: testSigningKeys().verifyKeys,
          port,
        }),
      ).rejects.toThrow(
        `startStandInSubgraph({ port: ${port} }): the port is in use; pass another, or none (a free one is picked)`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
