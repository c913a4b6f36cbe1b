// A hub started with an empty register (the kit's `municipality: 'empty'`), set up the way a production
// hub is: its first municipality and agency written straight into the register, every other agency
// registered through the gateway by that agency's hub administrator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '@hub/testkit';

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

  it('the same agency id twice is refused, and the register keeps the first', async () => {
    await expect(hub.registerFirstAgency({ ...FIRST, name: '別名' })).rejects.toThrow();
    const agency = await hub.as(FIRST.id).query<{ agency: { name: string } }>(`{ agency(id: "${FIRST.id}") { name } }`);
    expect(agency.data!.agency.name).toBe(FIRST.name);
  });
});
