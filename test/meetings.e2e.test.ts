// 支援会議 (Art. 106-6), 重層的支援会議 and 要対協: sharing without consent, and where it stops.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import {
  acknowledge,
  askedFor,
  closeMeeting,
  convene,
  daysFromNow,
  denials,
  expectDeniedUnasked,
  expectReadAsOwn,
  readAccessLog,
} from './support/bases.js';
import { queryAs, registerAgency, useTestHub } from './support/hub.js';
import { expectBadPagesRefused, firstErrorOf, walkPages } from './support/pages.js';
import { moveDvCase, openDvCase } from './support/dv.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const municipality = AGENCIES.minaminoWelfare.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const childSupport = AGENCIES.minaminoChildSupport.id;

const RISK = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      riskAssessments {
        level
      }
      hikikomoriSupport {
        stage
      }
    }
  }
`;
type Risk = { person: { riskAssessments: unknown[] | null; hikikomoriSupport: unknown } };

describe('support meeting (社会福祉法 106条の6)', () => {
  const person = residentId('watanabe');
  let meetingId = '';

  it('a member that has not acknowledged confidentiality is denied (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', async () => {
    meetingId = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH', 'EMPLOYMENT'],
      members: [helloWork],
    });
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toContainEqual({
      category: 'MENTAL_HEALTH',
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
      personId: person,
      path: ['person', 'riskAssessments'],
    });
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('a member that acknowledged confidentiality reads the shared category (SUPPORT_MEETING)', async () => {
    await acknowledge(hub, helloWork, meetingId);
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments!.length).toBeGreaterThan(0);
    expect(denials(result.errors).map((d) => d.category)).not.toContain('MENTAL_HEALTH');
  });

  it('the read is logged with the meeting it rested on (meetingId)', async () => {
    const purpose = `会議 ${randomUUID()}`;
    const result = await hub.as(helloWork, { purpose }).query<Risk>(RISK, { id: person });
    expect(result.data!.person.riskAssessments).not.toBeNull();
    const entries = (await readAccessLog(hub, person)).filter(
      (e) => e.purpose === purpose && e.categories.includes('MENTAL_HEALTH'),
    );
    expect(entries).toEqual([
      expect.objectContaining({
        agency: { id: helloWork },
        allowed: true,
        basis: 'SUPPORT_MEETING',
        meetingId,
        consentId: null,
        emergencyId: null,
      }),
    ]);
  });

  it("a member's read of the meeting's title and subjects is in the subject's access log, as its own WELFARE_CASE", async () => {
    const purpose = `会議の確認 ${randomUUID()}`;
    const read = await hub
      .as(helloWork, { purpose })
      .query<{ meeting: { title: string; subjectPersonIds: string[] } }>(
        'query ($id: ID!) { meeting(id: $id) { title subjectPersonIds } }',
        { id: meetingId },
      );
    expect(read.errors).toBeUndefined();
    expect(read.data!.meeting.subjectPersonIds).toEqual([person]);
    const entries = (await readAccessLog(hub, person)).filter((e) => e.purpose === purpose);
    expect(entries).toEqual([
      expect.objectContaining({
        agency: { id: helloWork },
        categories: ['WELFARE_CASE'],
        allowed: true,
        basis: 'OWN_DOMAIN',
      }),
    ]);
  });

  it('a category the meeting does not share stays denied (CATEGORY_NOT_SHARED)', async () => {
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expectDeniedUnasked(hub, result, 'welfare', {
      category: 'HIKIKOMORI',
      reason: 'CATEGORY_NOT_SHARED',
      personId: person,
      path: ['person', 'hikikomoriSupport'],
    });
  });

  it('an agency that never was a member is told nothing of the meeting (NO_LEGAL_BASIS)', async () => {
    const result = await hub.query<Risk>({ agency: silver }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toContainEqual(
      expect.objectContaining({ category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS' }),
    );
    expect(denials(result.errors).map((d) => d.reason)).not.toContain('NOT_A_MEMBER');
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });

  it('once the meeting is closed its members are denied on the next request (MEETING_NOT_ACTIVE)', async () => {
    await closeMeeting(hub, municipality, meetingId);
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toContainEqual(
      expect.objectContaining({ category: 'MENTAL_HEALTH', reason: 'MEETING_NOT_ACTIVE' }),
    );
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });
});

describe('rule 3: a meeting is active within its period only (MEETING_NOT_ACTIVE)', () => {
  const person = residentId('watanabe');
  const riskOf = async () => {
    hub.forget();
    return hub.query<Risk>(
      { agency: helloWork },
      'query ($id: ID!) { person(id: $id) { riskAssessments { level } } }',
      {
        id: person,
      },
    );
  };

  for (const [when, startsAt, endsAt] of [
    ['ended, though never closed', daysFromNow(-10), daysFromNow(-1)],
    ['not started yet', daysFromNow(1), daysFromNow(10)],
  ] as const) {
    it(`a meeting ${when} allows its acknowledged members nothing`, async () => {
      const meetingId = await convene(hub, municipality, {
        kind: 'SUPPORT_MEETING',
        subjectPersonIds: [person],
        sharedCategories: ['MENTAL_HEALTH'],
        members: [helloWork],
        acknowledged: [helloWork],
        startsAt,
        endsAt,
      });
      const result = await riskOf();
      expectDeniedUnasked(hub, result, 'suicide-prevention', {
        category: 'MENTAL_HEALTH',
        reason: 'MEETING_NOT_ACTIVE',
        personId: person,
        path: ['person', 'riskAssessments'],
      });
      await closeMeeting(hub, municipality, meetingId);
    });
  }
});

describe('rule 3: a meeting covers its subjects only (NO_LEGAL_BASIS)', () => {
  it('an acknowledged member reads nothing of a person the meeting does not name, and her holder is not asked', async () => {
    const subject = residentId('watanabe');
    const other = residentId('sato-mother');
    const meetingId = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [subject],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    const riskOf = (id: string) =>
      hub.query<Risk>({ agency: helloWork }, 'query ($id: ID!) { person(id: $id) { riskAssessments { level } } }', {
        id,
      });
    expect((await riskOf(subject)).data!.person.riskAssessments).not.toBeNull();
    hub.forget();
    const result = await riskOf(other);
    // The meeting says nothing of her, so neither does the reason.
    expectDeniedUnasked(hub, result, 'suicide-prevention', {
      category: 'MENTAL_HEALTH',
      reason: 'NO_LEGAL_BASIS',
      personId: other,
      path: ['person', 'riskAssessments'],
    });
    await closeMeeting(hub, municipality, meetingId);
  });
});

describe("rule 3: C's holder is an agency that holds C about the person", () => {
  const person = residentId('watanabe');
  // Two suicide-prevention offices registered for this: one serving the person's town, one serving only the other.
  const here = 'test-kokoro-here';
  const elsewhere = 'test-kokoro-elsewhere';
  const RISK_ONLY = 'query ($id: ID!) { person(id: $id) { riskAssessments { level } } }';
  const riskDenials = async () => {
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK_ONLY, { id: person });
    return denials(result.errors).filter((d) => d.category === 'MENTAL_HEALTH');
  };
  const meetingWith = (holder: string) =>
    convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork, holder],
      acknowledged: [helloWork, holder],
      holdersJoin: false,
    });

  beforeAll(async () => {
    const office = { domain: 'SUICIDE_PREVENTION', kind: '自殺対策主管部局', name: '試験のこころの相談窓口' };
    await registerAgency(hub, { ...office, id: here, municipalityCode: '990001' });
    await registerAgency(hub, { ...office, id: elsewhere, municipalityCode: '990002' });
  });

  it('a holder that serves only another municipality holds nothing of her to share (CATEGORY_NOT_SHARED)', async () => {
    const meetingId = await meetingWith(elsewhere);
    expect(await riskDenials()).toEqual([expect.objectContaining({ reason: 'CATEGORY_NOT_SHARED' })]);
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
    await closeMeeting(hub, collaborator, meetingId);
  });

  it('a holder switched off by a hub administrator shares nothing from the next request on', async () => {
    const meetingId = await meetingWith(here);
    expect(await riskDenials()).toEqual([]);
    const off = await queryAs(
      hub,
      municipality,
      'mutation ($id: ID!) { deactivateAgency(id: $id) { id } }',
      { id: here },
      ['hub-admin'],
    );
    expect(off.errors).toBeUndefined();
    expect(await riskDenials()).toEqual([expect.objectContaining({ reason: 'CATEGORY_NOT_SHARED' })]);
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
    await closeMeeting(hub, collaborator, meetingId);
  });
});

describe('reading a meeting', () => {
  it('is logged for the subjects it covers whichever of its fields a member asks (its kind, town and members too)', async () => {
    const person = residentId('watanabe');
    const meetingId = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
    });
    const read = await hub
      .as(helloWork, { purpose: '会議の構成の確認' })
      .query('query ($id: ID!) { meeting(id: $id) { id kind municipality { code } members { agency { id } } } }', {
        id: meetingId,
      });
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    await expectReadAsOwn(hub, person, helloWork, '会議の構成の確認');
    await closeMeeting(hub, municipality, meetingId);
  });
});

describe('a meeting whose convener is switched off', () => {
  const person = residentId('watanabe');
  const convener = 'test-welfare-convener';
  const CLOSE = 'mutation ($id: ID!) { closeMeeting(id: $id) { id } }';
  const asAdmin = (query: string, variables: Record<string, unknown>) =>
    queryAs(hub, municipality, query, variables, ['hub-admin']);

  it('is closed by a hub administrator in its stead, and shares nothing from the next request on', async () => {
    await registerAgency(hub, {
      id: convener,
      name: '試験の多機関協働事業者',
      domain: 'WELFARE',
      kind: '多機関協働事業者',
      municipalityCode: '990001',
    });
    const meetingId = await convene(hub, convener, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    // While its convener is active, the meeting is the convener's to close, an administrator's token or not:
    // to an agency that never was a member of it, it is no meeting.
    const early = await asAdmin(CLOSE, { id: meetingId });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });

    const off = await asAdmin('mutation ($id: ID!) { deactivateAgency(id: $id) { id } }', { id: convener });
    expect(off.errors).toBeUndefined();
    // Not any agency: only a hub administrator stands in for the switched-off convener.
    const plain = await hub.query({ agency: municipality }, CLOSE, { id: meetingId });
    expect(plain.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
    // And one of an agency serving the town the meeting belongs to: to one of another town it is no meeting.
    const otherTown = AGENCIES.higashiyamaWelfare.id;
    const elsewhere = await queryAs(hub, otherTown, CLOSE, { id: meetingId }, ['hub-admin']);
    const unknown = await queryAs(hub, otherTown, CLOSE, { id: '00000000-0000-4000-8000-000000000000' }, ['hub-admin']);
    expect(JSON.stringify(elsewhere).replaceAll(meetingId, '00000000-0000-4000-8000-000000000000')).toBe(
      JSON.stringify(unknown),
    );

    const closed = await asAdmin(CLOSE, { id: meetingId });
    expect(closed.errors).toBeUndefined();
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(denials(result.errors)).toContainEqual(
      expect.objectContaining({ category: 'MENTAL_HEALTH', reason: 'MEETING_NOT_ACTIVE' }),
    );
  });

  /** A support meeting about `subjects` whose convener (registered for it) is switched off. */
  async function orphanedMeeting(convenerId: string, subjects: string[]): Promise<string> {
    await registerAgency(hub, {
      id: convenerId,
      name: `試験の多機関協働事業者 ${convenerId}`,
      domain: 'WELFARE',
      kind: '多機関協働事業者',
      municipalityCode: '990001',
    });
    const meetingId = await convene(hub, convenerId, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: subjects,
      sharedCategories: ['MENTAL_HEALTH'],
    });
    const off = await asAdmin('mutation ($id: ID!) { deactivateAgency(id: $id) { id } }', { id: convenerId });
    expect(off.errors).toBeUndefined();
    return meetingId;
  }

  /** Hello Work's administrator closes it: no member, and no basis for the subjects' WELFARE_CASE. */
  const closeAsHelloWorkAdmin = (meetingId: string) =>
    queryAs<{ closeMeeting: { closedAt: string | null; title: string | null } }>(
      hub,
      helloWork,
      'mutation ($id: ID!) { closeMeeting(id: $id) { closedAt title subjectPersonIds } }',
      { id: meetingId },
      ['hub-admin'],
    );

  it('an administrator who is no member is answered the title and subjects as any WELFARE_CASE: decided, not as its own', async () => {
    const closed = await closeAsHelloWorkAdmin(await orphanedMeeting('test-welfare-convener-2', [person]));
    expect(closed.data?.closeMeeting).toMatchObject({ title: null, subjectPersonIds: null });
    expect(closed.data?.closeMeeting.closedAt).toBeTruthy();
    expect(denials(closed.errors)).toEqual([
      // Its reason is its own decision's (here a meeting of Hello Work's that did not share WELFARE_CASE).
      expect.objectContaining({ category: 'WELFARE_CASE', personId: person, path: ['closeMeeting', 'title'] }),
    ]);
  });

  it('an administrator denied two subjects of the meeting it closes is told one error for each', async () => {
    const registered = await hub.query<Record<string, { id: string }>>(
      { agency: municipality },
      `mutation { ${['a', 'b']
        .map(
          (alias) =>
            `${alias}: registerPerson(input: { name: "会議 ${alias}", nameKana: "カイギ", birthDate: "1970-01-01", municipalityCode: "990001" }) { id }`,
        )
        .join(' ')} }`,
    );
    const subjects = [registered.data!['a']!.id, registered.data!['b']!.id];
    const closed = await closeAsHelloWorkAdmin(await orphanedMeeting('test-welfare-convener-3', subjects));
    expect(closed.data?.closeMeeting).toMatchObject({ title: null, subjectPersonIds: null });
    const told = denials(closed.errors);
    expect(told.map((d) => d.personId).sort()).toEqual([...subjects].sort());
    expect(told.every((d) => d.category === 'WELFARE_CASE' && d.path?.join('.') === 'closeMeeting.title')).toBe(true);
  });

  it('an administrator closing a meeting about a subject a DV transfer took away is told nothing of her: the title is withheld with no error naming her', async () => {
    const dvCentre = AGENCIES.midoriDvCentre.id;
    const stays = await registerResident(hub);
    const moves = await registerResident(hub);
    const meetingId = await orphanedMeeting('test-welfare-convener-5', [stays, moves]);
    await openDvCase(hub, dvCentre, moves);
    await moveDvCase(hub, dvCentre, moves, AGENCIES.higashiyamaDv.id);
    // An administrator of the town she left, serving it alone and no member: she is a stranger to it now.
    const closed = await queryAs<{ closeMeeting: { closedAt: string | null; title: string | null } }>(
      hub,
      silver,
      'mutation ($id: ID!) { closeMeeting(id: $id) { closedAt title } }',
      { id: meetingId },
      ['hub-admin'],
    );
    expect(closed.data?.closeMeeting).toMatchObject({ title: null, closedAt: expect.any(String) });
    expect(denials(closed.errors).map((d) => d.personId)).toEqual([stays]);
    expect(JSON.stringify(closed)).not.toContain(moves);
  });

  it('an id that names no meeting is NOT_FOUND, naming the argument given (id)', async () => {
    const result = await asAdmin(CLOSE, { id: '00000000-0000-4000-8000-000000000000' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
  });
});

describe('a convener whose jurisdiction a hub administrator narrowed (setAgencyJurisdiction)', () => {
  const convener = 'test-rezoned-convener';
  const person = residentId('watanabe');
  const asAdmin = (query: string, variables: Record<string, unknown>) =>
    queryAs(hub, municipality, query, variables, ['hub-admin']);
  const ADD = 'mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }';
  const REMOVE = 'mutation ($m: ID!, $a: ID!) { removeMeetingMember(meetingId: $m, agencyId: $a) { id } }';
  const ACKNOWLEDGE = 'mutation ($m: ID!) { acknowledgeConfidentiality(meetingId: $m) { id } }';
  let meetingId = '';

  beforeAll(async () => {
    // Seated in ひがし山町, it serves みなみ野市 too when it convenes a meeting about a resident there.
    await registerAgency(hub, {
      id: convener,
      name: '再編された多機関協働事業者',
      domain: 'WELFARE',
      kind: '多機関協働事業者',
      municipalityCode: '990002',
      jurisdiction: ['990001'],
    });
    meetingId = await convene(hub, convener, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [silver],
    });
    const narrowed = await asAdmin(
      'mutation ($a: ID!, $j: [String!]!) { setAgencyJurisdiction(agencyId: $a, jurisdiction: $j) { id } }',
      { a: convener, j: [] },
    );
    expect(narrowed.errors).toBeUndefined();
  });

  it('widens the meeting no more: adding a member, or a member acknowledging, is OUTSIDE_JURISDICTION, as convening it now would be', async () => {
    const added = await hub.query({ agency: convener }, ADD, { m: meetingId, a: helloWork });
    expect(added.data).toBeNull();
    expect(added.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_JURISDICTION',
      personId: person,
    });
    const acknowledged = await hub.query({ agency: silver }, ACKNOWLEDGE, { m: meetingId });
    expect(acknowledged.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_JURISDICTION',
      personId: person,
    });
    // Neither went through: Hello Work is no member, and silver still has to acknowledge.
    const members = await hub.query<{
      meeting: { members: { agency: { id: string }; acknowledgedAt: string | null }[] };
    }>({ agency: convener }, 'query ($m: ID!) { meeting(id: $m) { members { agency { id } acknowledgedAt } } }', {
      m: meetingId,
    });
    expect(members.data!.meeting.members.map((m) => m.agency.id)).not.toContain(helloWork);
    expect(members.data!.meeting.members.find((m) => m.agency.id === silver)?.acknowledgedAt).toBeNull();
    hub.forget();
    const read = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(denials(read.errors)).not.toContainEqual(
      expect.objectContaining({ reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED' }),
    );
  });

  it('still winds it down: removing a member and closing it go through', async () => {
    const removed = await hub.query({ agency: convener }, REMOVE, { m: meetingId, a: silver });
    expect(removed.errors).toBeUndefined();
    await closeMeeting(hub, convener, meetingId);
  });
});

describe('multilayer meeting (重層的支援会議)', () => {
  it('alone allows nothing: it runs on consent (NO_LEGAL_BASIS)', async () => {
    const person = residentId('sato-mother');
    await convene(hub, collaborator, {
      kind: 'MULTILAYER_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    hub.forget();
    const result = await hub.query<Risk>({ agency: helloWork }, RISK, { id: person });
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toContainEqual({
      category: 'MENTAL_HEALTH',
      reason: 'NO_LEGAL_BASIS',
      personId: person,
      path: ['person', 'riskAssessments'],
    });
    expect(askedFor(hub, 'suicide-prevention', person, 'riskAssessments')).toBe(false);
  });
});

describe('child council (要保護児童対策地域協議会)', () => {
  const child = residentId('sato-daughter');
  const QUERY = /* GraphQL */ `
    query ($id: ID!) {
      person(id: $id) {
        childWelfareCases {
          classification
        }
        riskAssessments {
          level
        }
      }
    }
  `;

  it('allows its acknowledged members child welfare data, and only that (CHILD_COUNCIL)', async () => {
    await convene(hub, childSupport, {
      kind: 'CHILD_COUNCIL',
      subjectPersonIds: [child],
      sharedCategories: ['CHILD_WELFARE'],
      members: [collaborator],
      acknowledged: [collaborator],
    });
    hub.forget();
    const result = await hub.query<{ person: { childWelfareCases: unknown[] | null; riskAssessments: unknown } }>(
      { agency: collaborator },
      QUERY,
      { id: child },
    );
    expect(result.data!.person.childWelfareCases!.length).toBeGreaterThan(0);
    expectDeniedUnasked(hub, result, 'suicide-prevention', {
      category: 'MENTAL_HEALTH',
      reason: 'CATEGORY_NOT_SHARED',
      personId: child,
      path: ['person', 'riskAssessments'],
    });
  });

  it('allows another category the council shares, its holder an acknowledged member (CHILD_COUNCIL)', async () => {
    const councilId = await convene(hub, childSupport, {
      kind: 'CHILD_COUNCIL',
      subjectPersonIds: [child],
      sharedCategories: ['CHILD_WELFARE', 'MENTAL_HEALTH'],
      members: [collaborator],
      acknowledged: [collaborator],
    });
    hub.forget();
    const purpose = `要対協 ${randomUUID()}`;
    const result = await hub
      .as(collaborator, { purpose })
      .query<{ person: { riskAssessments: unknown[] | null } }>(QUERY, { id: child });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.riskAssessments).not.toBeNull();
    const entries = (await readAccessLog(hub, child)).filter(
      (e) => e.purpose === purpose && e.categories.includes('MENTAL_HEALTH'),
    );
    expect(entries).toEqual([expect.objectContaining({ allowed: true, basis: 'CHILD_COUNCIL', meetingId: councilId })]);
    await closeMeeting(hub, childSupport, councilId);
  });

  describe('rule 4: only while active, and only to a member that acknowledged confidentiality', () => {
    const CASES = 'query ($id: ID!) { person(id: $id) { childWelfareCases { classification } } }';
    type Cases = { person: { childWelfareCases: unknown[] | null } };
    const casesAsHelloWork = async () => {
      hub.forget();
      return hub.query<Cases>({ agency: helloWork }, CASES, { id: child });
    };
    let councilId = '';

    it('a member that has not acknowledged confidentiality is denied (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', async () => {
      councilId = await convene(hub, childSupport, {
        kind: 'CHILD_COUNCIL',
        subjectPersonIds: [child],
        sharedCategories: ['CHILD_WELFARE'],
        members: [helloWork],
      });
      const result = await casesAsHelloWork();
      expectDeniedUnasked(hub, result, 'child-dv', {
        category: 'CHILD_WELFARE',
        reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
        personId: child,
        path: ['person', 'childWelfareCases'],
      });

      await acknowledge(hub, helloWork, councilId);
      const acknowledged = await casesAsHelloWork();
      expect(acknowledged.errors).toBeUndefined();
      expect(acknowledged.data!.person.childWelfareCases!.length).toBeGreaterThan(0);
    });

    it('once the council is closed its members are denied on the next request (MEETING_NOT_ACTIVE)', async () => {
      await closeMeeting(hub, childSupport, councilId);
      const result = await casesAsHelloWork();
      expectDeniedUnasked(hub, result, 'child-dv', {
        category: 'CHILD_WELFARE',
        reason: 'MEETING_NOT_ACTIVE',
        personId: child,
        path: ['person', 'childWelfareCases'],
      });
    });
  });
});

describe('meetings pages', () => {
  const convener = 'test-pages-convener';
  const LIST = /* GraphQL */ `
    query Meetings($first: Int, $after: ID) {
      meetings(first: $first, after: $after) {
        id
        title
      }
    }
  `;
  type List = { meetings: { id: string; title: string | null }[] | null };
  let persons: string[] = [];
  let convened: string[] = [];

  beforeAll(async () => {
    await registerAgency(hub, {
      id: convener,
      name: '試験の頁の招集者',
      domain: 'WELFARE',
      kind: '多機関協働事業者',
      municipalityCode: '990001',
    });
    persons = [];
    convened = [];
    // Each about a person of its own, and starting a day after the one before: the latest start is the
    // first of the list.
    for (let i = 0; i < 7; i++) {
      persons.push(await registerResident(hub));
      convened.push(
        await convene(hub, convener, {
          kind: 'SUPPORT_MEETING',
          subjectPersonIds: [persons[i]!],
          sharedCategories: ['MENTAL_HEALTH'],
          holdersJoin: false,
          startsAt: daysFromNow(i - 10),
        }),
      );
    }
  });

  const read = (variables: Record<string, unknown>, purpose?: string) =>
    hub.as(convener, purpose ? { purpose } : {}).query<List>(LIST, variables);

  it('walks the whole list in pages, latest start first, no meeting lost or repeated', async () => {
    const whole = await read({});
    expect(whole.data!.meetings!.map((m) => m.id)).toEqual([...convened].reverse());
    const pages = await walkPages(async (first, after) => (await read({ first, after })).data!.meetings!, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...convened].reverse());
  });

  it("logs the subjects of the page's meetings only", async () => {
    const page = `会議の頁 ${randomUUID()}`;
    expect((await read({ first: 3 }, page)).data!.meetings).toHaveLength(3);
    const whole = `会議の一覧 ${randomUUID()}`;
    expect((await read({}, whole)).data!.meetings).toHaveLength(7);
    for (const [i, person] of persons.entries()) {
      const log = await readAccessLog(hub, person);
      // The page holds the three latest meetings (the last three convened).
      expect(log.filter((e) => e.purpose === page)).toHaveLength(i >= 4 ? 1 : 0);
      expect(log.filter((e) => e.purpose === whole)).toHaveLength(1);
    }
  });

  it('refuses a first out of 1..200 (OUT_OF_RANGE) and an after not of the list (INVALID_CURSOR)', async () => {
    // A meeting the convener is no member of is no cursor of its list.
    const foreign = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [persons[0]!],
      sharedCategories: ['MENTAL_HEALTH'],
      holdersJoin: false,
    });
    await expectBadPagesRefused(read, 'meetings', foreign);
  });
});

describe('a meeting covers at most 50 persons', () => {
  const CONVENE = /* GraphQL */ `
    mutation ($ids: [ID!]!, $startsAt: DateTime!) {
      conveneMeeting(
        input: {
          kind: SUPPORT_MEETING
          title: "大勢の会議"
          subjectPersonIds: $ids
          sharedCategories: [MENTAL_HEALTH]
          startsAt: $startsAt
        }
      ) {
        id
      }
    }
  `;
  const MINE = '{ meetings { id } }';

  it('refuses 51 subjects (OUT_OF_RANGE, subjectPersonIds) and records nothing; 50 are accepted', async () => {
    const subjects: string[] = [];
    for (let i = 0; i < 51; i++) subjects.push(await registerResident(hub));
    const before = await hub.query<{ meetings: { id: string }[] }>({ agency: collaborator }, MINE);
    const refused = await hub.query<{ conveneMeeting: { id: string } | null }>({ agency: collaborator }, CONVENE, {
      ids: subjects,
      startsAt: daysFromNow(-1),
    });
    expect(refused.data?.conveneMeeting ?? null).toBeNull();
    expect(firstErrorOf(refused)).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'subjectPersonIds',
      reason: 'OUT_OF_RANGE',
    });
    const after = await hub.query<{ meetings: { id: string }[] }>({ agency: collaborator }, MINE);
    expect(after.data!.meetings).toEqual(before.data!.meetings);

    const accepted = await hub.query<{ conveneMeeting: { id: string } | null }>({ agency: collaborator }, CONVENE, {
      ids: subjects.slice(0, 50),
      startsAt: daysFromNow(-1),
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.conveneMeeting!.id).toEqual(expect.any(String));
  });
});
