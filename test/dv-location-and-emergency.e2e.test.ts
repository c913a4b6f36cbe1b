// A DV victim's whereabouts (DV_LOCATION) open only to a consent that names them; emergencies allow,
// then expire, and never unlock a protected location.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { AGENCIES, MUNICIPALITIES, residentId } from '@hub/platform';
import type { ClientOptions } from '@hub/testkit';
import { askedFor, convene, declareEmergency, denials, grantConsent, readAccessLog } from './support/bases.js';
import { useTestHub } from './support/hub.js';
import { expectBadPagesRefused, walkPages } from './support/pages.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const victim = residentId('suzuki-mother');
const municipality = AGENCIES.minaminoWelfare.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const destination = AGENCIES.higashiyamaWelfare.id;

const DV = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      dvCase {
        status
        whereabouts {
          municipalityCode
          address
        }
      }
    }
  }
`;
type Dv = { person: { dvCase: { status: string; whereabouts: { address: string } | null } | null } };

describe('DV_LOCATION', () => {
  it('the owning domain reads the whereabouts (OWN_DOMAIN)', async () => {
    const result = await hub.query<Dv>({ agency: dvCentre }, DV, { id: victim });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.dvCase!.whereabouts!.address).toEqual(expect.any(String));
  });

  it('is denied to a support meeting member even when the meeting shares it, the DV case is not (PROTECTED_LOCATION)', async () => {
    await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [victim],
      sharedCategories: ['DV', 'DV_LOCATION'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    hub.forget();
    const result = await hub.query<Dv>({ agency: helloWork }, DV, { id: victim });
    expect(result.data!.person.dvCase!.status).toEqual(expect.any(String));
    expect(result.data!.person.dvCase!.whereabouts).toBeNull();
    expect(denials(result.errors)).toEqual([
      {
        category: 'DV_LOCATION',
        reason: 'PROTECTED_LOCATION',
        personId: victim,
        path: ['person', 'dvCase', 'whereabouts'],
      },
    ]);
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(false);
    expect(askedFor(hub, 'child-dv', victim, 'dvCase')).toBe(true);
  });

  it('is denied to an emergency (PROTECTED_LOCATION)', async () => {
    const silver = AGENCIES.minaminoSilver.id;
    await declareEmergency(hub, silver, victim, ['DV', 'DV_LOCATION']);
    hub.forget();
    const result = await hub.query<Dv>({ agency: silver }, DV, { id: victim });
    expect(result.data!.person.dvCase!.whereabouts).toBeNull();
    expect(denials(result.errors)).toEqual([
      {
        category: 'DV_LOCATION',
        reason: 'PROTECTED_LOCATION',
        personId: victim,
        path: ['person', 'dvCase', 'whereabouts'],
      },
    ]);
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(false);
  });

  it('the town the demo victim fled to is where she lives, DV_LOCATION: an emergency opening her contact data does not open it', async () => {
    const kokoro = AGENCIES.minaminoKokoro.id;
    await declareEmergency(hub, kokoro, victim, ['CONTACT']);
    const result = await hub.query<{ person: { municipalityCode: string | null; phone: string | null } }>(
      { agency: kokoro },
      'query ($id: ID!) { person(id: $id) { municipalityCode phone } }',
      { id: victim },
    );
    expect(result.data!.person.municipalityCode).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'CONTACT', reason: 'NO_LEGAL_BASIS', personId: victim, path: ['person', 'municipalityCode'] },
    ]);
  });

  it('so is the town her child fled to with her: where the child lives tells where she does', async () => {
    const child = residentId('suzuki-child');
    const helloWork = AGENCIES.helloWorkMinamino.id;
    await declareEmergency(hub, helloWork, child, ['CONTACT', 'IDENTITY']);
    const result = await hub.query<{ person: { municipalityCode: string | null } }>(
      { agency: helloWork },
      'query ($id: ID!) { person(id: $id) { municipalityCode } }',
      { id: child },
    );
    expect(result.data!.person.municipalityCode).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'CONTACT', reason: 'NO_LEGAL_BASIS', personId: child, path: ['person', 'municipalityCode'] },
    ]);
  });

  it('is allowed to the destination municipality a consent names with DV_LOCATION (CONSENT)', async () => {
    await grantConsent(hub, dvCentre, {
      personId: victim,
      recipientAgencyIds: [destination],
      categories: ['DV', 'DV_LOCATION'],
    });
    const result = await hub.query<Dv>({ agency: destination }, DV, { id: victim });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.dvCase!.whereabouts!.address).toEqual(expect.any(String));
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(true);
  });

  it('a consent naming DV_LOCATION alone opens the whereabouts, not the DV case (Person.whereabouts)', async () => {
    const shelter = AGENCIES.higashiyamaDv.id;
    await grantConsent(hub, dvCentre, { personId: victim, recipientAgencyIds: [shelter], categories: ['DV_LOCATION'] });
    hub.forget();
    const result = await hub.query<{
      person: { whereabouts: { address: string } | null; dvCase: { status: string } | null };
    }>({ agency: shelter }, `query ($id: ID!) { person(id: $id) { whereabouts { address } dvCase { status } } }`, {
      id: victim,
    });
    expect(result.data!.person.whereabouts!.address).toEqual(expect.any(String));
    expect(result.data!.person.dvCase).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'DV', reason: 'NO_LEGAL_BASIS', personId: victim, path: ['person', 'dvCase'] },
    ]);
    expect(askedFor(hub, 'child-dv', victim, 'dvCase')).toBe(false);
  });
});

describe('emergency', () => {
  const person = residentId('watanabe');
  const RISK = /* GraphQL */ `
    query ($id: ID!) {
      person(id: $id) {
        riskAssessments {
          level
        }
      }
    }
  `;
  type Risk = { person: { riskAssessments: unknown[] | null } };

  it('allows the declared categories to the declaring agency (EMERGENCY), then not once it expires', async () => {
    const silver = AGENCIES.minaminoSilver.id;
    const emergencyId = await declareEmergency(hub, silver, person, ['MENTAL_HEALTH']);
    const allowed = await hub.query<Risk>({ agency: silver }, RISK, { id: person });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.person.riskAssessments!.length).toBeGreaterThan(0);

    // Time passes: the access's expiry is moved into the past.
    const sql = postgres(hub.database.url, { max: 1, onnotice: () => {} });
    await sql`update hub.emergency_access set declared_at = now() - interval '2 hours', expires_at = now() - interval '1 second' where id = ${emergencyId}`;
    await sql.end();
    hub.forget();

    const expired = await hub.query<Risk>({ agency: silver }, RISK, { id: person });
    expect(expired.data!.person.riskAssessments).toBeNull();
    expect(denials(expired.errors)).toEqual([
      { category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS', personId: person, path: ['person', 'riskAssessments'] },
    ]);
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('is declared only for a person the agency serves: another town’s resident and an id that names no one are refused alike (OUTSIDE_JURISDICTION), and nothing is recorded', async () => {
    // Else a declaration would open a resident of another town and nothing for an id that names no one, and
    // any agency could test whether an id is a resident.
    const otherTown = AGENCIES.higashiyamaWelfare.id;
    const nobody = '00000000-0000-4000-8000-0000000000e5';
    const DECLARE = /* GraphQL */ `
      mutation ($id: ID!) {
        declareEmergency(input: { personId: $id, categories: [MENTAL_HEALTH], reason: "急迫" }) {
          id
        }
      }
    `;
    const OWN = '{ emergencyAccesses { id } }';
    const before = await hub.query<{ emergencyAccesses: { id: string }[] }>({ agency: otherTown }, OWN);
    const refused = [];
    for (const id of [person, nobody]) {
      hub.forget();
      const declared = await hub.query({ agency: otherTown }, DECLARE, { id });
      expect(declared.data?.declareEmergency ?? null).toBeNull();
      refused.push(JSON.stringify(declared).replaceAll(id, '<the id>'));
      const read = await hub.query<Risk>({ agency: otherTown }, RISK, { id });
      expect(read).toMatchObject({ data: { person: null } });
      expect(read.errors).toBeUndefined();
      expect(askedFor(hub, 'suicide-prevention', id, 'riskAssessments')).toBe(false);
    }
    expect(refused[0]).toEqual(refused[1]);
    expect(JSON.parse(refused[0]!).errors).toMatchObject([
      { extensions: { code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION', personId: '<the id>' } },
    ]);
    const after = await hub.query<{ emergencyAccesses: { id: string }[] }>({ agency: otherTown }, OWN);
    expect(after.data!.emergencyAccesses).toEqual(before.data!.emergencyAccesses);
  });

  it('Hello Work, serving both towns, declares for a resident of the other town as of its own (EMERGENCY)', async () => {
    const helloWork = AGENCIES.helloWorkMinamino.id;
    expect(AGENCIES.helloWorkMinamino.serves).toContain(MUNICIPALITIES.higashiyama.code);
    const resident = await registerResident(hub, destination, MUNICIPALITIES.higashiyama.code);
    const NAME = 'query ($id: ID!) { person(id: $id) { name } }';
    const before = await hub.query({ agency: helloWork }, NAME, { id: resident });
    expect(denials(before.errors).map((d) => [d.category, d.reason])).toEqual([['IDENTITY', 'NO_LEGAL_BASIS']]);
    await declareEmergency(hub, helloWork, resident, ['IDENTITY']);
    hub.forget();
    const after = await hub.query<{ person: { name: string } }>({ agency: helloWork }, NAME, { id: resident });
    expect(after.errors).toBeUndefined();
    expect(after.data!.person.name).toEqual(expect.any(String));
  });
});

describe('emergencyAccesses pages', () => {
  const kokoro = AGENCIES.minaminoKokoro.id;
  const auditor = AGENCIES.minaminoWelfare.id;
  const LIST = /* GraphQL */ `
    query Emergencies($since: DateTime, $review: EmergencyReviewState, $first: Int, $after: ID) {
      emergencyAccesses(since: $since, review: $review, first: $first, after: $after) {
        id
        reason
      }
    }
  `;
  type List = { emergencyAccesses: { id: string; reason: string }[] | null };
  let person = '';
  let since = '';
  let declared: string[] = [];

  beforeAll(async () => {
    person = await registerResident(hub);
    since = new Date().toISOString();
    declared = [];
    for (let i = 0; i < 7; i++) declared.push(await declareEmergency(hub, kokoro, person, ['CONTACT']));
  });

  const read = (agency: string, variables: Record<string, unknown>, options: ClientOptions = {}) =>
    hub.as(agency, options).query<List>(LIST, { since, ...variables });

  it('walks the whole list in pages, newest first, no declaration lost or repeated, the review filter kept', async () => {
    const whole = await read(kokoro, {});
    expect(whole.errors).toBeUndefined();
    expect(whole.data!.emergencyAccesses!.map((e) => e.id)).toEqual([...declared].reverse());
    const readers: [string, ClientOptions, string | null][] = [
      [kokoro, {}, null],
      [auditor, { roles: ['auditor'] }, 'PENDING'],
    ];
    for (const [agency, options, review] of readers) {
      const pages = await walkPages(async (first, after) => {
        const page = await read(agency, { first, after, review }, options);
        expect(page.errors).toBeUndefined();
        return page.data!.emergencyAccesses!;
      }, 3);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual([...declared].reverse());
    }
  });

  it('logs only the declarations of the page', async () => {
    const purpose = `緊急時アクセスの頁 ${randomUUID()}`;
    const page = await read(auditor, { first: 3 }, { roles: ['auditor'], purpose });
    expect(page.data!.emergencyAccesses).toHaveLength(3);
    const logged = (await readAccessLog(hub, person)).filter((e) => e.purpose === purpose);
    expect(logged).toHaveLength(3);
  });

  it('refuses a first out of 1..200 (OUT_OF_RANGE) and an after not of the list (INVALID_CURSOR)', async () => {
    // Another agency's declaration is no cursor of kokoro's own list.
    const foreign = await declareEmergency(hub, AGENCIES.minaminoSilver.id, person, ['CONTACT']);
    await expectBadPagesRefused((page) => read(kokoro, page), 'emergencyAccesses', foreign);
  });
});
