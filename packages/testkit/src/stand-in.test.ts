import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '@hub/platform';
import { hubSubgraphSdl, hubSubgraphServedSdl } from './stand-in.js';

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
