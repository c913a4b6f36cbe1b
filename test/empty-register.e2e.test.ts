// A hub started with an empty register (the kit's `municipality: 'empty'`), set up the way a production
// hub is: its first municipality and agency written straight into the register, every other agency
// registered through the gateway by that agency's hub administrator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  givenConsent,
  givenResident,
  hubSubgraphSdl,
  readAccessLog,
  residentId,
  startStandInSubgraph,
  startTestHub,
  type ResidentKey,
  type TestHub,
} from '@hub/testkit';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ municipality: 'empty' });
});

afterAll(async () => {
  await hub?.stop();
});

const FIRST = {
  id: 'obihiro-welfare',
  name: '帯広市 地域福祉課',
  domain: 'WELFARE',
  kind: '重層的支援体制整備事業 所管課',
  municipality: { code: '012076', name: '帯広市', prefecture: '北海道' },
} as const;

describe("a hub started empty (startTestHub({ municipality: 'empty' }))", () => {
  it('holds no agency: no token is accepted until the first agency is written', async () => {
    const refused = await hub.query({ agency: FIRST.id }, '{ agencies { id } }');
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_AGENCY' });
  });

  it('registerFirstAgency writes the first one; its hub administrator registers the next, which then works', async () => {
    await hub.registerFirstAgency(FIRST);
    const admin = hub.as(FIRST.id, { roles: ['hub-admin'] });
    const registered = await admin.query<{ registerAgency: { id: string; jurisdiction: string[] } }>(
      `mutation ($input: RegisterAgencyInput!) { registerAgency(input: $input) { id jurisdiction } }`,
      {
        input: {
          id: 'obihiro-hellowork',
          name: 'ハローワーク帯広',
          domain: 'EMPLOYMENT',
          kind: '公共職業安定所',
          municipalityCode: FIRST.municipality.code,
        },
      },
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerAgency).toEqual({ id: 'obihiro-hellowork', jurisdiction: ['012076'] });

    const listed = await hub.as('obihiro-hellowork').query<{ agencies: { id: string }[] }>('{ agencies { id } }');
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.agencies.map((a) => a.id).sort()).toEqual(['obihiro-hellowork', 'obihiro-welfare']);

    const person = await hub
      .as(FIRST.id)
      .query<{ registerPerson: { id: string } }>(
        `mutation { registerPerson(input: { name: "帯広 一郎", nameKana: "オビヒロ イチロウ", birthDate: "1980-04-01", municipalityCode: "012076" }) { id } }`,
      );
    expect(person.errors).toBeUndefined();
    expect(person.data!.registerPerson.id).toEqual(expect.any(String));
  });

  it("givenConsent asks no holder to confirm what the recorder's own domain holds: no demo agency is needed", async () => {
    const personId = await givenResident(hub, FIRST.id, FIRST.municipality.code);
    const consentId = await givenConsent(hub, FIRST.id, {
      personId,
      recipientAgencyIds: ['obihiro-hellowork'],
      categories: ['IDENTITY'],
    });
    const read = await hub
      .as('obihiro-hellowork')
      .query<{ person: { name: string } }>('query ($id: ID!) { person(id: $id) { name } }', { id: personId });
    expect(read.errors).toBeUndefined();
    expect(read.data!.person.name).toEqual(expect.any(String));
    // A holder the hub does not know is refused; the error gives the consent it recorded all the same.
    await expect(
      givenConsent(hub, FIRST.id, { personId, recipientAgencyIds: ['obihiro-hellowork'], categories: ['EMPLOYMENT'] }),
    ).rejects.toThrow(
      /^the consent [0-9a-f-]{36} was recorded by obihiro-welfare, but hellowork-minamino \(confirmBy\) could not confirm EMPLOYMENT: /,
    );
    expect(consentId).toMatch(/^[0-9a-f-]{36}$/);
    // The access log's default auditor is the demo's too: the error says to name one of this hub.
    await expect(readAccessLog(hub, personId)).rejects.toThrow(
      'the access log could not be read (the auditor minamino-welfare is not an agency of this hub: pass as auditor an agency you registered)',
    );
    await expect(readAccessLog(hub, personId, FIRST.id)).resolves.toEqual(expect.any(Array));
  });

  it('the same agency id twice is refused, and the register keeps the first', async () => {
    await expect(hub.registerFirstAgency({ ...FIRST, name: '別名' })).rejects.toThrow(
      'registerFirstAgency({ id }): "obihiro-welfare" is registered already',
    );
    const agency = await hub.as(FIRST.id).query<{ agency: { name: string } }>(`{ agency(id: "${FIRST.id}") { name } }`);
    expect(agency.data!.agency.name).toBe(FIRST.name);
  });

  it('a domain or an id the register does not take is refused with the choices, and nothing is written', async () => {
    await expect(hub.registerFirstAgency({ ...FIRST, id: 'second', domain: 'HOUSING' as 'WELFARE' })).rejects.toThrow(
      'registerFirstAgency({ domain }): no domain is named "HOUSING"; the domains are WELFARE, SUICIDE_PREVENTION, CHILD_DV, EMPLOYMENT, SENIORS_WORK, ENVIRONMENT',
    );
    await expect(hub.registerFirstAgency({ ...FIRST, id: 'Obihiro_Welfare' })).rejects.toThrow(
      'registerFirstAgency({ id }): "Obihiro_Welfare" is not an agency id',
    );
    const agencies = await hub.as(FIRST.id).query<{ agencies: { id: string }[] }>('{ agencies { id } }');
    expect(agencies.data!.agencies.map((a) => a.id)).not.toContain('second');
  });

  it('a jurisdiction naming a municipality the register does not hold is refused, as registerAgency refuses it, and nothing is written', async () => {
    const otherTown = { code: '012084', name: '北見市', prefecture: '北海道' };
    await expect(
      hub.registerFirstAgency({
        ...FIRST,
        id: 'kitami-welfare',
        municipality: otherTown,
        jurisdiction: ['123456', 'abc'],
      }),
    ).rejects.toThrow(
      'registerFirstAgency({ jurisdiction }): "123456", "abc" names no registered municipality; the register has 012076 besides its own 012084',
    );
    const agencies = await hub.as(FIRST.id).query<{ agencies: { id: string }[] }>('{ agencies { id } }');
    expect(agencies.data!.agencies.map((a) => a.id)).not.toContain('kitami-welfare');
    // Its own municipality was not written either: the register is as before.
    const towns = await hub.gateway.db.sql<{ code: string }[]>`select code from hub.municipality order by code`;
    expect(towns.map((t) => t.code)).toEqual([FIRST.municipality.code]);
  });

  it('a role the hub does not know is refused when the token is minted, naming the roles', async () => {
    await expect(hub.token(FIRST.id, { roles: ['auditer' as never] })).rejects.toThrow(
      'token({ roles }): "auditer" is not a role the hub knows: auditor, dashboard, hub-admin',
    );
    await expect(hub.as(FIRST.id, { roles: ['superuser' as never] }).query('{ agencies { id } }')).rejects.toThrow(
      '"superuser" is not a role the hub knows',
    );
  });
});

describe('names the kit is given', () => {
  it('a query to a hub already stopped says so, not only that its port refused the connection', async () => {
    const stopped = await startTestHub({ municipality: 'empty' });
    await stopped.stop();
    await expect(stopped.query({ authorization: null }, '{ __typename }')).rejects.toThrow(
      'this test hub was stopped (stop()); start another with startTestHub() to query',
    );
    await expect(stopped.registerFirstAgency(FIRST)).rejects.toThrow('this test hub was stopped');
  });

  it('a subgraph name the hub does not have is refused before anything starts, naming the six', async () => {
    await expect(startTestHub({ subgraphs: { seniors_work: 'http://127.0.0.1:1/graphql' } as never })).rejects.toThrow(
      'startTestHub({ subgraphs }): no subgraph is named "seniors_work"; the hub\'s subgraphs are welfare, suicide-prevention, child-dv, employment, seniors-work, environment.',
    );
    await expect(startTestHub({ subgraphs: { employment: 'localhost 4104' } })).rejects.toThrow(
      'startTestHub({ subgraphs: { employment } }): "localhost 4104" is not a URL',
    );
    await expect(
      startStandInSubgraph({
        name: 'housing' as 'employment',
        typeDefs: 'type Query { a: Int }',
        resolvers: {},
        verifyKeys: { keys: [] },
      }),
    ).rejects.toThrow('startStandInSubgraph({ name }): no subgraph is named "housing"');
    expect(() => hubSubgraphSdl('seniors_work' as 'seniors-work')).toThrow(
      'hubSubgraphSdl(name): no subgraph is named "seniors_work"; the hub\'s subgraphs are welfare, suicide-prevention, child-dv, employment, seniors-work, environment.',
    );
  });

  it('a demo resident’s key with a typo is an error, not the id of no one', () => {
    expect(() => residentId('takahasi' as ResidentKey)).toThrow('No demo resident "takahasi"; the demo residents are ');
    expect(residentId('takahashi')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
