// A subgraph's answer is taken only as far as it was asked (gateway/src/enforce/answer.ts): an agency's
// system that was taken over answers through a proxy that rewrites what it says, and the gateway takes no
// field it did not ask that subgraph for, and no answer about another person than the one it asked about.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '@hub/gateway/server';
import { AGENCIES, residentId, type SubgraphName } from '@hub/platform';
import { grantConsent, readAccessLog } from './support/bases.js';
import { startSubgraphProxy, type SubgraphProxy } from './support/faults.js';
import { startGatewayReplica, useTestHub, type GraphQLResponse } from './support/hub.js';
import type { Role } from '@hub/gateway/roles';

const hub = useTestHub();

const helloWork = AGENCIES.helloWorkMinamino.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const auditor = AGENCIES.minaminoWelfare.id;
const takahashi = residentId('takahashi');
const watanabe = residentId('watanabe');

beforeAll(async () => {
  // Hello Work may read her identity: what it reads of her is then decided field by field, not as a stranger's.
  await grantConsent(hub, collaborator, {
    personId: takahashi,
    recipientAgencyIds: [helloWork],
    categories: ['IDENTITY'],
  });
});

const gateways: RunningGateway[] = [];
const proxies: SubgraphProxy[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** A gateway of the test hub reaching `subgraph` through a proxy that rewrites its answers. */
async function gatewayWithTakenOver(
  subgraph: SubgraphName,
  maxResponseBytes?: number,
): Promise<{ gateway: RunningGateway; proxy: SubgraphProxy }> {
  const proxy = await startSubgraphProxy(hub.subgraphs[subgraph].url);
  proxies.push(proxy);
  const config = {
    ...hub.config,
    audit: { ...hub.config.audit, checkpointFile: `${hub.config.audit.checkpointFile}.replica` },
    subgraphFetch: { ...hub.config.subgraphFetch, ...(maxResponseBytes ? { maxResponseBytes } : {}) },
  };
  const gateway = await startGatewayReplica(hub, { config, subgraphUrls: { [subgraph]: proxy.url } });
  gateways.push(gateway);
  return { gateway, proxy };
}

async function post<T>(
  gateway: RunningGateway,
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: { sub?: string; roles?: Role[] } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(agency, token)}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

const withheld = (errors: GraphQLResponse['errors'], path: (string | number)[]) =>
  errors?.find(
    (e) => e.extensions?.['reason'] === 'INVALID_SUBGRAPH_ANSWER' && JSON.stringify(e.path) === JSON.stringify(path),
  );

describe('a subgraph answers only what it was asked', () => {
  it("takes no field from an agency's answer that the fetch did not ask it for: another domain's, a denied one, the hub's own", async () => {
    const { gateway, proxy } = await gatewayWithTakenOver('employment');
    proxy.rewrite = (answer) => {
      const entities = answer.data?.['_entities'];
      if (Array.isArray(entities))
        for (const entity of entities)
          Object.assign(entity as object, { name: '偽 名前', latestRiskLevel: 'HIGH', dvCase: { summary: '偽' } });
      return answer;
    };
    const read = await post<{
      person: { name: string | null; latestRiskLevel: string | null; dvCase: unknown; jobSeeker: unknown };
    }>(
      gateway,
      helloWork,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            name
            latestRiskLevel
            dvCase {
              summary
            }
            jobSeeker {
              desiredWork
            }
          }
        }
      `,
      { id: takahashi },
    );

    const person = read.data!.person;
    expect(person.jobSeeker).not.toBeNull();
    expect(person.name).toBeTruthy();
    expect(person.name).not.toBe('偽 名前');
    expect(person.latestRiskLevel).toBeNull();
    expect(person.dvCase).toBeNull();
    const denied = read
      .errors!.filter((e) => e.extensions?.['code'] === 'FORBIDDEN')
      .map((e) => e.extensions?.['category']);
    expect(denied).toEqual(expect.arrayContaining(['MENTAL_HEALTH', 'DV']));
  });

  it("takes none of the hub's own root fields from an agency's answer: the access log's verification is the hub's", async () => {
    const { gateway, proxy } = await gatewayWithTakenOver('welfare');
    proxy.rewrite = (answer) => {
      if (answer.data && 'person' in answer.data) {
        answer.data['verifyAccessLog'] = { intact: true, entries: 999_999 };
        answer.data['agencies'] = [{ id: 'forged', name: '偽の機関' }];
      }
      return answer;
    };
    // The welfare answer arrives last, as the one merged last would win.
    proxy.answerDelayMs = 300;
    const read = await post<{ verifyAccessLog: { entries: number }; agencies: { id: string }[] }>(
      gateway,
      auditor,
      /* GraphQL */ `
        query ($id: ID!) {
          verifyAccessLog {
            intact
            entries
          }
          agencies {
            id
          }
          person(id: $id) {
            name
          }
        }
      `,
      { id: takahashi },
      { roles: ['auditor'] },
    );

    expect(read.errors).toBeUndefined();
    expect(read.data!.verifyAccessLog.entries).not.toBe(999_999);
    expect(read.data!.agencies.map((a) => a.id)).not.toContain('forged');
    expect(read.data!.agencies.map((a) => a.id)).toContain(auditor);
  });

  it('withholds a person answered in place of the one asked for: nothing is fetched, decided or logged about the other', async () => {
    const { gateway, proxy } = await gatewayWithTakenOver('welfare');
    proxy.rewrite = (answer) => {
      const person = answer.data?.['person'] as { id?: string } | null | undefined;
      if (person?.id) person.id = watanabe;
      return answer;
    };
    const staff = 'answered-about-another';
    const read = await post<{ person: unknown }>(
      gateway,
      collaborator,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            id
            name
            jobSeeker {
              desiredWork
            }
            latestRiskLevel
          }
        }
      `,
      { id: takahashi },
      { sub: staff },
    );

    expect(read.data?.person ?? null).toBeNull();
    expect(withheld(read.errors, ['person'])?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(read)).not.toContain(watanabe);
    for (const subgraph of ['employment', 'suicide-prevention'] as const)
      expect(hub.received(subgraph).filter((r) => JSON.stringify(r.variables).includes(watanabe))).toEqual([]);
    expect((await readAccessLog(hub, watanabe)).filter((entry) => entry.staffId === staff)).toEqual([]);
  });

  it('withholds a list answered where one person was asked for: each item would be taken for her', async () => {
    const { gateway, proxy } = await gatewayWithTakenOver('welfare');
    proxy.rewrite = (answer) => {
      const person = answer.data?.['person'] as Record<string, unknown> | null | undefined;
      if (person && answer.data) answer.data['person'] = [{ ...person, id: watanabe }];
      return answer;
    };
    const staff = 'answered-a-list';
    const read = await post<{ person: unknown }>(
      gateway,
      collaborator,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            id
            name
            jobSeeker {
              desiredWork
            }
          }
        }
      `,
      { id: takahashi },
      { sub: staff },
    );

    expect(read.data?.person ?? null).toBeNull();
    expect(withheld(read.errors, ['person'])).toBeDefined();
    expect(JSON.stringify(read)).not.toContain(watanabe);
    expect(hub.received('employment').filter((r) => JSON.stringify(r.variables).includes(watanabe))).toEqual([]);
    expect((await readAccessLog(hub, watanabe)).filter((entry) => entry.staffId === staff)).toEqual([]);
  });

  it("reads the person answered from the field id under the client's alias: an honest answer is not withheld", async () => {
    // (An alias named `id` for another field is refused before planning: limits.e2e.test.ts.)
    const read = await hub.as(collaborator).query<{ person: { kana: string; pid: string } }>(
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            kana: nameKana
            pid: id
          }
        }
      `,
      { id: takahashi },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.person.pid).toBe(takahashi);
    expect(read.data!.person.kana).not.toBe(takahashi);
  });

  it.each([
    ["with a person the register already has: it is not logged as the caller's own", 'registered-another', false],
    ['with a list: no mutation answers one, and its items name persons no one asked about', 'registered-a-list', true],
  ] as const)('withholds a registration answered %s', async (_, staff, asList) => {
    const { gateway, proxy } = await gatewayWithTakenOver('welfare');
    proxy.rewrite = (answer) => {
      const registered = answer.data?.['registerPerson'] as { id?: string } | null | undefined;
      if (!registered?.id || !answer.data) return answer;
      const other = JSON.parse(JSON.stringify(registered).replaceAll(registered.id, takahashi)) as object;
      answer.data['registerPerson'] = asList ? [other] : other;
      return answer;
    };
    const read = await post<{ registerPerson: unknown }>(
      gateway,
      collaborator,
      /* GraphQL */ `
        mutation ($input: RegisterPersonInput!) {
          registerPerson(input: $input) {
            id
            name
            phone
            latestRiskLevel
          }
        }
      `,
      {
        input: { name: '試験 登録', nameKana: 'シケン トウロク', birthDate: '1980-01-01', municipalityCode: '990001' },
      },
      { sub: staff },
    );

    expect(read.data?.registerPerson ?? null).toBeNull();
    expect(withheld(read.errors, ['registerPerson'])).toBeDefined();
    expect(JSON.stringify(read)).not.toContain(takahashi);
    expect((await readAccessLog(hub, takahashi)).filter((entry) => entry.staffId === staff)).toEqual([]);
  });

  it('takes no answer larger than MAX_SUBGRAPH_RESPONSE_BYTES: its part is SERVICE_UNAVAILABLE, the rest is served', async () => {
    const { gateway, proxy } = await gatewayWithTakenOver('employment', 50_000);
    proxy.rewrite = (answer) => {
      const entities = answer.data?.['_entities'];
      if (Array.isArray(entities))
        for (const entity of entities)
          Object.assign(entity as object, { jobSeeker: { desiredWork: 'x'.repeat(100_000) } });
      return answer;
    };
    const read = await post<{ person: { name: string | null; jobSeeker: unknown } }>(
      gateway,
      helloWork,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            name
            jobSeeker {
              desiredWork
            }
          }
        }
      `,
      { id: takahashi },
    );

    expect(read.data!.person.jobSeeker).toBeNull();
    expect(read.data!.person.name).toBeTruthy();
    // Not asked again: the answer would be as large.
    expect(proxy.posts).toHaveLength(1);
    expect(read.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'employment'],
    ]);
  });
});
