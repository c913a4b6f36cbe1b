// A DV case moving across municipalities (別添3 4(1)): only with the person's consent naming the
// destination and DV_LOCATION; without it nothing moves. With it, the case and its whereabouts follow the
// consent, and a revocation stops them on the next request.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCIES,
  gatewayKeys,
  residentId,
  SIGNATURE_HEADER,
  signSubgraphRequest,
  type DataCategory,
} from '@hub/platform';
import {
  acknowledge,
  askedFor,
  convene,
  daysFromNow,
  declareEmergency,
  denials,
  givenReferral,
  grantConsent,
  readAccessLog,
  revokeConsent,
} from './support/bases.js';
import { registerAgency, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { moveDvCase, openDvCase } from './support/dv.js';
import { mutate, registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-dv-transfer');

const victim = residentId('suzuki-mother');
const dvCentre = AGENCIES.midoriDvCentre.id;
const destinationDv = AGENCIES.higashiyamaDv.id;
const destinationWelfare = AGENCIES.higashiyamaWelfare.id;
const municipality = AGENCIES.minaminoWelfare.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const healthCentre = AGENCIES.midoriHealthCentre.id;

const TRANSFER = /* GraphQL */ `
  mutation ($input: TransferDvCaseInput!) {
    transferDvCase(input: $input) {
      agencyId
      status
      transfers {
        fromAgencyId
        toAgencyId
        transferredAt
        note
      }
    }
  }
`;
interface Transferred {
  agencyId: string;
  status: string;
  transfers: { fromAgencyId: string; toAgencyId: string; transferredAt: string; note: string | null }[];
}
const transfer = (agency: string, toAgencyId: string) =>
  hub.query<{ transferDvCase: Transferred | null }>({ agency }, TRANSFER, {
    input: { personId: victim, toAgencyId, note: '本人同意のうえ転居先へ支援を引継ぎ' },
  });

/**
 * What child-dv received since the last forget(), but the hub's own read of who holds her case (which a
 * transfer makes before anything is decided, so that one by an agency not holding it decides nothing).
 */
const sentToChildDv = () => hub.received('child-dv').filter((request) => !request.query.includes('HubDvCaseHolder'));

const CASE = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      dvCase {
        agencyId
        status
        transfers {
          toAgencyId
        }
      }
    }
  }
`;
/** The case as its current holder sees it (OWN_DOMAIN): proof that a refusal moved nothing. */
async function caseAsHeld() {
  const result = await hub.query<{ person: { dvCase: { agencyId: string; status: string; transfers: unknown[] } } }>(
    { agency: dvCentre },
    CASE,
    { id: victim },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.person.dvCase;
}

const WHEREABOUTS = /* GraphQL */ `
  query ($id: ID!) {
    person(id: $id) {
      dvCase {
        whereabouts {
          address
        }
      }
    }
  }
`;
const DECLARE_EMERGENCY = /* GraphQL */ `
  mutation ($id: ID!) {
    declareEmergency(input: { personId: $id, categories: [DV, DV_LOCATION], reason: "生命の危険" }) {
      id
    }
  }
`;
type Whereabouts = { person: { dvCase: { whereabouts: { address: string } | null } | null } };
const whereabouts = (agency: string) => hub.query<Whereabouts>({ agency }, WHEREABOUTS, { id: victim });

const refusal = (result: GraphQLResponse<unknown>) =>
  result.errors?.map((e) => ({
    code: e.extensions?.['code'],
    reason: e.extensions?.['reason'],
    category: e.extensions?.['category'],
  }));

/** A refused transfer: FORBIDDEN with `reason`, nothing sent to child-dv, the case where it was. */
async function expectNothingMoves(result: GraphQLResponse<{ transferDvCase: unknown }>, reason: string) {
  expect(result.data?.transferDvCase ?? null).toBeNull();
  expect(refusal(result)).toEqual([{ code: 'FORBIDDEN', reason, category: 'DV_LOCATION' }]);
  expect(result.errors![0]!.extensions?.['personId']).toBe(victim);
  expect(sentToChildDv()).toEqual([]);
  expect(await caseAsHeld()).toMatchObject({ agencyId: dvCentre, transfers: [] });
}

describe('without the person’s consent naming the destination and DV_LOCATION, nothing moves', () => {
  it('no consent at all: FORBIDDEN NO_LEGAL_BASIS', async () => {
    hub.forget();
    await expectNothingMoves(await transfer(dvCentre, destinationDv), 'NO_LEGAL_BASIS');
  });

  it("the destination's own domain, a support meeting or an emergency do not stand in for the consent", async () => {
    await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [victim],
      sharedCategories: ['DV', 'DV_LOCATION'],
      members: [destinationWelfare],
      acknowledged: [destinationWelfare],
    });
    // The destination serves another town, so it may not even declare an emergency about her.
    const declared = await hub.query({ agency: destinationWelfare }, DECLARE_EMERGENCY, { id: victim });
    expect(declared.errors?.map((e) => e.extensions?.['reason'])).toEqual(['OUTSIDE_JURISDICTION']);
    for (const destination of [destinationDv, destinationWelfare]) {
      hub.forget();
      await expectNothingMoves(await transfer(dvCentre, destination), 'NO_LEGAL_BASIS');
    }
  });

  it('a consent that names the destination for DV but not DV_LOCATION does not suffice', async () => {
    await grantConsent(hub, dvCentre, { personId: victim, recipientAgencyIds: [destinationDv], categories: ['DV'] });
    hub.forget();
    await expectNothingMoves(await transfer(dvCentre, destinationDv), 'NO_LEGAL_BASIS');
  });

  it('a revoked consent: FORBIDDEN CONSENT_REVOKED', async () => {
    const consentId = await grantConsent(hub, dvCentre, {
      personId: victim,
      recipientAgencyIds: [destinationDv],
      categories: ['DV', 'DV_LOCATION'],
    });
    await revokeConsent(hub, dvCentre, consentId);
    hub.forget();
    await expectNothingMoves(await transfer(dvCentre, destinationDv), 'CONSENT_REVOKED');
  });

  it('a destination in the same municipality, or not a DV or welfare agency, is refused as input', async () => {
    hub.forget();
    const same = await transfer(dvCentre, childSupport);
    expect(same.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'DESTINATION_SAME_MUNICIPALITY'],
    ]);
    expect(same.errors?.[0]?.message).toBe('The destination is in the municipality the person is registered in now');
    const other = await transfer(dvCentre, AGENCIES.helloWorkMinamino.id);
    expect(other.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'DESTINATION_NOT_DV_SUPPORT'],
    ]);
    expect(sentToChildDv()).toEqual([]);
  });

  it('an agency of another domain than DV or welfare may not send it (FORBIDDEN NOT_OWN_DOMAIN)', async () => {
    hub.forget();
    const result = await transfer(kokoro, destinationDv);
    expect(refusal(result)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN', category: undefined }]);
    expect(sentToChildDv()).toEqual([]);
  });
});

describe('with the consent', () => {
  let consentId = '';

  // A support meeting of the town she leaves, sharing DV and CONTACT with its suicide-prevention office, whose
  // holders (the DV centre, the municipality) are acknowledged members: a basis that ends with her move.
  let leftMeeting = '';
  beforeAll(async () => {
    leftMeeting = await convene(hub, municipality, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [victim],
      sharedCategories: ['DV', 'CONTACT'],
      members: [dvCentre, kokoro],
      acknowledged: [dvCentre, kokoro],
    });
    consentId = await grantConsent(hub, dvCentre, {
      personId: victim,
      recipientAgencyIds: [destinationDv, destinationWelfare],
      categories: ['DV', 'DV_LOCATION'],
      purpose: '転居先市町村への支援の引継ぎ',
    });
    // An emergency her town's silver centre declares while she lives there, before her move.
    await declareEmergency(hub, AGENCIES.minaminoSilver.id, victim, ['WELFARE_CASE', 'CONTACT', 'IDENTITY']);
  });

  it('an agency that does not hold her open DV case is refused NOT_FOUND, as for a person with no DV case: nothing is decided, logged or sent, and her consent is not told', async () => {
    const childGuidance = AGENCIES.midoriChildGuidance.id;
    const given = async () =>
      (await readAccessLog(hub, victim, municipality)).filter((entry) => entry.agency.id === destinationDv).length;
    const before = await given();
    hub.forget();
    const result = await transfer(childGuidance, destinationDv);
    expect(result.data?.transferDvCase ?? null).toBeNull();
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['argument'], e.path])).toEqual([
      ['NOT_FOUND', 'personId', ['transferDvCase']],
    ]);
    expect(sentToChildDv()).toEqual([]);
    expect(await given()).toBe(before);
    // A resident it serves with no DV case, and no consent naming the destination: the same answer.
    const noCase = await hub.query({ agency: childGuidance }, TRANSFER, {
      input: {
        personId: await registerResident(hub, municipality),
        toAgencyId: destinationDv,
        note: '本人同意のうえ転居先へ支援を引継ぎ',
      },
    });
    expect(noCase).toEqual(result);
    expect(await caseAsHeld()).toMatchObject({ agencyId: dvCentre, transfers: [] });
  });

  it('the case moves to the destination, the move is kept, and support continues', async () => {
    const before = await caseAsHeld();
    const result = await transfer(dvCentre, destinationDv);
    expect(result.errors).toBeUndefined();
    expect(result.data!.transferDvCase).toMatchObject({
      agencyId: destinationDv,
      status: before.status,
      transfers: [{ fromAgencyId: dvCentre, toAgencyId: destinationDv, note: '本人同意のうえ転居先へ支援を引継ぎ' }],
    });
    expect(before.status).not.toBe('CLOSED');
  });

  it('the consent the transfer rested on, and the refusals before it, are in the access log as the destination’s', async () => {
    const log = await readAccessLog(hub, victim, municipality);
    // The transfer gives the destination her whereabouts on her consent: the entry is the destination's, on
    // the consent naming it; the sending centre's own entries cite no consent that does not name it.
    expect(log.filter((n) => n.agency.id === dvCentre && n.consentId === consentId)).toEqual([]);
    const entries = log.filter((n) => n.agency.id === destinationDv && n.categories.join() === 'DV_LOCATION');
    expect(entries).toContainEqual(
      expect.objectContaining({ allowed: true, basis: 'CONSENT', consentId, reason: null }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ allowed: false, reason: 'CONSENT_REVOKED' }));
    expect(entries).toContainEqual(expect.objectContaining({ allowed: false, reason: 'NO_LEGAL_BASIS' }));
  });

  it('on completion she is registered in the destination’s municipality, which its welfare office reads', async () => {
    const result = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: destinationWelfare },
      `{ person(id: "${victim}") { municipalityCode } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.municipalityCode).toBe('990002');
  });

  it('her disclosure request is now her new town’s welfare office’s: it reads her access log, the office of the town she left is refused', async () => {
    const purpose = `開示請求の確認 ${randomUUID()}`;
    const own = await hub.as(destinationWelfare, { purpose }).query(`{ person(id: "${victim}") { cases { status } } }`);
    expect(own.errors).toBeUndefined();
    const LOG = 'query ($id: ID!) { accessLog(personId: $id) { edges { node { agency { id } categories purpose } } } }';
    type Log = {
      accessLog: { edges: { node: { agency: { id: string }; categories: string[]; purpose: string | null } }[] };
    };
    const read = await hub.query<Log>({ agency: destinationWelfare }, LOG, { id: victim });
    expect(read.errors).toBeUndefined();
    const nodes = read.data!.accessLog.edges.map((e) => e.node);
    expect(nodes).toContainEqual({ agency: { id: destinationWelfare }, categories: ['WELFARE_CASE'], purpose });
    // Nothing in the disclosure view tells of her DV case or where she now lives.
    expect(nodes.flatMap((n) => n.categories).filter((c) => c === 'DV' || c === 'DV_LOCATION')).toEqual([]);
    const left = await hub.query({ agency: municipality }, LOG, { id: victim });
    expect(left.data).toBeNull();
    expect(left.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['FORBIDDEN', 'OUTSIDE_JURISDICTION'],
    ]);
  });

  it('where she now lives is DV_LOCATION: a meeting of her new town reads her DV case, not its holder, a move’s origin or destination, or her municipality', async () => {
    // Convened by the destination's welfare office, with the destination's DV agency (the DV case's holder now)
    // and the prefecture's health centre as acknowledged members.
    await convene(hub, destinationWelfare, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [victim],
      sharedCategories: ['DV', 'CONTACT'],
      members: [destinationDv, healthCentre],
      acknowledged: [destinationDv, healthCentre],
      holdersJoin: false,
    });
    hub.forget();
    const result = await hub.query<{
      person: {
        municipalityCode: string | null;
        dvCase: { status: string; agencyId: string | null; transfers: Record<string, string | null>[] } | null;
      };
    }>(
      { agency: healthCentre },
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            municipalityCode
            dvCase {
              status
              agencyId
              transfers {
                fromAgencyId
                toAgencyId
                toMunicipalityCode
                note
              }
            }
          }
        }
      `,
      { id: victim },
    );
    // The hand-over's note is where staff write where she went: withheld with the destination.
    expect(result.data!.person).toEqual({
      municipalityCode: null,
      dvCase: {
        status: expect.any(String),
        agencyId: null,
        transfers: [{ fromAgencyId: null, toAgencyId: null, toMunicipalityCode: null, note: null }],
      },
    });
    const denied = denials(result.errors);
    expect(new Set(denied.map((d) => `${d.category}:${d.reason}`))).toEqual(
      new Set(['DV_LOCATION:PROTECTED_LOCATION']),
    );
    expect(denied.map((d) => d.path?.join('.')).sort()).toEqual(['person.dvCase.agencyId', 'person.municipalityCode']);
    expect(askedFor(hub, 'child-dv', victim, 'toAgencyId')).toBe(false);
    expect(askedFor(hub, 'child-dv', victim, 'agencyId')).toBe(false);
  });

  it('an agency with no basis for her contact data is refused her municipality as anyone’s: the denial does not tell she moved', async () => {
    // Hello Work serves both towns (its own EMPLOYMENT about her): CONTACT it holds for no one here.
    const helloWork = AGENCIES.helloWorkMinamino.id;
    const refusalFor = async (id: string) => {
      const result = await hub.query({ agency: helloWork }, `{ person(id: "${id}") { municipalityCode } }`);
      return denials(result.errors).map(({ category, reason, path }) => ({ category, reason, path }));
    };
    const moved = await refusalFor(victim);
    expect(moved).toEqual([{ category: 'CONTACT', reason: 'NO_LEGAL_BASIS', path: ['person', 'municipalityCode'] }]);
    expect(moved).toEqual(await refusalFor(residentId('takahashi')));
    // The log keeps the decision made: her whereabouts, refused.
    const logged = await readAccessLog(hub, victim, municipality);
    expect(logged).toContainEqual(
      expect.objectContaining({ agency: { id: helloWork }, categories: ['DV_LOCATION'], allowed: false }),
    );
  });

  it('an agency that reads her contact data on a consent, not her DV data, is refused her municipality as CONTACT: the denial does not tell of a DV case', async () => {
    const kankyo = AGENCIES.minaminoEnvironment.id;
    await grantConsent(hub, destinationWelfare, {
      personId: victim,
      recipientAgencyIds: [kankyo],
      categories: ['CONTACT', 'IDENTITY'],
      confirmBy: false, // recorded by the holder of both
    });
    hub.forget();
    const result = await hub.query<{ person: { name: string | null; municipalityCode: string | null } }>(
      { agency: kankyo },
      `{ person(id: "${victim}") { name municipalityCode } }`,
    );
    expect(result.data!.person).toEqual({ name: expect.any(String), municipalityCode: null });
    expect(denials(result.errors).map(({ category, reason, path }) => ({ category, reason, path }))).toEqual([
      { category: 'CONTACT', reason: 'NO_LEGAL_BASIS', path: ['person', 'municipalityCode'] },
    ]);
    expect(JSON.stringify(result.errors)).not.toMatch(/DV|PROTECTED_LOCATION/);
    // The log keeps the decision made: her whereabouts, refused.
    const logged = await readAccessLog(hub, victim, municipality);
    expect(logged).toContainEqual(
      expect.objectContaining({ agency: { id: kankyo }, categories: ['DV_LOCATION'], allowed: false }),
    );
  });

  it('she is registered at the destination now: the former holder serves her no more (OUTSIDE_JURISDICTION)', async () => {
    hub.forget();
    const result = await transfer(dvCentre, destinationDv);
    expect(refusal(result)).toEqual([{ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION', category: undefined }]);
    expect(sentToChildDv()).toEqual([]);
  });

  it('the centre that recorded the consent she moved on holds nothing of her now: answered as for an id that names no one', async () => {
    const nobody = randomUUID();
    for (const query of [
      'query ($id: ID!) { person(id: $id) { id __typename dvCase { id } } }',
      'query ($id: ID!) { consents(personId: $id) { id purpose } }',
    ]) {
      const answer = async (id: string) =>
        JSON.stringify(await hub.query({ agency: dvCentre }, query, { id }))
          .split(id)
          .join('<id>');
      expect(await answer(victim)).toBe(await answer(nobody));
    }
  });

  it('support continues at the destination: it records the new whereabouts, the former holder no longer may', async () => {
    const RECORD = /* GraphQL */ `
      mutation ($input: RecordWhereaboutsInput!) {
        recordWhereabouts(input: $input) {
          municipalityCode
        }
      }
    `;
    const held = await hub.query<{ person: { dvCase: { id: string } } }>(
      { agency: destinationDv },
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            dvCase {
              id
            }
          }
        }
      `,
      { id: victim },
    );
    const input = {
      dvCaseId: held.data!.person.dvCase.id,
      municipalityCode: '990002',
      address: 'ひがし山町 本町1-1-101',
      since: '2026-11-01',
    };
    const former = await hub.query({ agency: dvCentre }, RECORD, { input });
    expect(former.errors?.map((e) => e.extensions?.['code'])).toEqual(['NOT_FOUND']);
    const recorded = await hub.query({ agency: destinationDv }, RECORD, { input });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data).toEqual({ recordWhereabouts: { municipalityCode: '990002' } });
    // The address the answer returned is in her access log, as the destination's own read.
    const [newest] = await readAccessLog(hub, victim, municipality);
    expect(newest).toMatchObject({
      agency: { id: destinationDv },
      categories: ['DV_LOCATION'],
      allowed: true,
      basis: 'OWN_DOMAIN',
    });
  });

  it('the welfare agency the consent names reads the whereabouts (CONSENT)', async () => {
    const result = await whereabouts(destinationWelfare);
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.dvCase!.whereabouts!.address).toEqual(expect.any(String));
  });

  it('an agency the consent does not name is still refused the whereabouts, and child-dv is never asked', async () => {
    hub.forget();
    const result = await whereabouts(childSupport);
    expect(result.data!.person?.dvCase ?? null).toBeNull();
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(false);
  });

  it('the municipality she left holds nothing of her: she is answered as an id that names no one', async () => {
    hub.forget();
    // An office of the town she left with no meeting or consent about her, and the members of the support
    // meeting it convened before she moved: a meeting belongs to one municipality and covers her no more.
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const leftBehind of [AGENCIES.minaminoHoukatsu.id, municipality, kokoro]) {
      const left = await hub.query(
        { agency: leftBehind },
        `{ person(id: "${victim}") { id name phone dvCase { status } } }`,
      );
      const noOne = await hub.query(
        { agency: leftBehind },
        `{ person(id: "${unknown}") { id name phone dvCase { status } } }`,
      );
      expect(left).toEqual(noOne);
      expect(left.data).toEqual({ person: null });
    }
    expect(hub.received('welfare')).toHaveLength(0);
    expect(sentToChildDv()).toEqual([]);
  });

  it('a transfer sent by a DV agency she no longer lives under is refused as for an id that names no one, whatever the destination, and logs nothing', async () => {
    // The centre that held her case serves the town she left: whichever agency it names, and whether or not
    // her consent names that agency, it is told what an unknown id gets, and no consent is decided for it.
    const unknown = '00000000-0000-4000-8000-000000000000';
    const staff = 'transfer-probe-staff';
    const attempt = (personId: string, toAgencyId: string) =>
      hub
        .as(dvCentre, { sub: staff })
        .query(TRANSFER, { input: { personId, toAgencyId, note: '転居先へ' } })
        .then((result) => ({
          data: result.data,
          errors: result.errors?.map((e) => ({ ...e.extensions, personId: undefined, path: e.path })),
        }));
    hub.forget();
    for (const destination of [destinationDv, destinationWelfare]) {
      const left = await attempt(victim, destination);
      expect(left).toEqual(await attempt(unknown, destination));
      expect(left.errors).toEqual([
        {
          code: 'FORBIDDEN',
          reason: 'OUTSIDE_JURISDICTION',
          personId: undefined,
          path: ['transferDvCase'],
        },
      ]);
    }
    expect(sentToChildDv()).toEqual([]);
    const log = await readAccessLog(hub, victim);
    expect(log.filter((entry) => entry.staffId === staff)).toEqual([]);
  });

  it('a report the town she left files to itself and triages does not give it her case or whereabouts', async () => {
    const filed = await hub.query<{ recordAbuseReport: { receiptNumber: string } }>(
      { agency: childSupport },
      'mutation ($input: RecordAbuseReportInput!) { recordAbuseReport(input: $input) { receiptNumber } }',
      { input: { personId: victim, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: childSupport } },
    );
    expect(filed.errors).toBeUndefined();
    const queue = await hub.query<{ urgentReports: { id: string; receiptNumber: string }[] }>(
      { agency: childSupport },
      '{ urgentReports { id receiptNumber } }',
    );
    const report = queue.data!.urgentReports.find(
      (r) => r.receiptNumber === filed.data!.recordAbuseReport.receiptNumber,
    )!;
    hub.forget();
    const triaged = await hub.query<{ triageAbuseReport: unknown }>(
      { agency: childSupport },
      /* GraphQL */ `
        mutation ($input: TriageAbuseReportInput!) {
          triageAbuseReport(input: $input) {
            status
            person {
              dvCase {
                agencyId
                whereabouts {
                  address
                }
              }
            }
          }
        }
      `,
      { input: { reportId: report.id, status: 'ACKNOWLEDGED' } },
    );
    expect(JSON.stringify(triaged)).not.toMatch(/address|higashiyama/);
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(false);
  });

  it('a member the convener of the town she left adds to its meeting after her move reads nothing of her', async () => {
    const silver = AGENCIES.minaminoSilver.id;
    const added = await hub.query(
      { agency: municipality },
      'mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }',
      { m: leftMeeting, a: silver },
    );
    expect(added.errors).toBeUndefined();
    await acknowledge(hub, silver, leftMeeting);
    hub.forget();
    const result = await hub.query({ agency: silver }, `{ person(id: "${victim}") { name dvCase { status } } }`);
    expect(result.data).toEqual({ person: null });
    expect(sentToChildDv()).toEqual([]);
    // Nor is she among its subjects, to it or to the members of before: beside her id answered as one that
    // names no one, the list would tell them she left.
    // Nor does her log say they read anything of her: the list they were shown does not hold her.
    const staff = `subjects-${randomUUID()}`;
    for (const member of [silver, municipality, kokoro]) {
      const meeting = await hub
        .as(member, { sub: staff })
        .query(`{ meeting(id: "${leftMeeting}") { id subjectPersonIds } }`);
      expect(meeting.errors).toBeUndefined();
      expect(meeting.data).toEqual({ meeting: { id: leftMeeting, subjectPersonIds: [] } });
    }
    expect((await readAccessLog(hub, victim)).filter((entry) => entry.staffId === staff)).toEqual([]);
  });

  it('an emergency declared before her move by an agency of the town she left, or since by one serving that town too, opens nothing of her: the records her new town makes would tell where she fled', async () => {
    // Her new town's welfare office records a consultation: its agency says where she lives now.
    await mutate(
      hub,
      destinationWelfare,
      'mutation ($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }',
      { input: { personId: victim, channel: 'VISIT', agencyKind: 'ELDERLY', summary: '転居後の生活相談' } },
    );
    const CONSULTATIONS = `{ person(id: "${victim}") { consultations { agencyId } } }`;
    const silver = AGENCIES.minaminoSilver.id;
    hub.forget();
    const elsewhere = await hub.query({ agency: silver }, CONSULTATIONS);
    expect(elsewhere.data).toEqual({ person: null });
    expect(JSON.stringify(elsewhere)).not.toContain(destinationWelfare);
    expect(askedFor(hub, 'welfare', victim, 'consultations')).toBe(false);
    // An agency serving where she lives now and the town she left too would learn which of them she lives in.
    const helloWork = AGENCIES.helloWorkMinamino.id;
    await declareEmergency(hub, helloWork, victim, ['WELFARE_CASE']);
    hub.forget();
    const bothTowns = await hub.query<{ person: { consultations: unknown[] | null } | null }>(
      { agency: helloWork },
      CONSULTATIONS,
    );
    expect(bothTowns.data?.person?.consultations ?? null).toBeNull();
    expect(JSON.stringify(bothTowns)).not.toContain(destinationWelfare);
    expect(askedFor(hub, 'welfare', victim, 'consultations')).toBe(false);
    // One serving where she lives now alone is opened what it declared, as anywhere.
    await declareEmergency(hub, destinationDv, victim, ['WELFARE_CASE']);
    const serving = await hub.query<{ person: { consultations: { agencyId: string }[] } }>(
      { agency: destinationDv },
      CONSULTATIONS,
    );
    expect(serving.errors).toBeUndefined();
    expect(serving.data!.person.consultations.map((c) => c.agencyId)).toContain(destinationWelfare);
  });

  it('an emergency of the town she left answers her as an id that names no one: explainAccess cannot pick out who fled, and neither can a new declaration', async () => {
    const silver = AGENCIES.minaminoSilver.id;
    const noOne = randomUUID();
    const EXPLAIN = /* GraphQL */ `
      query ($p: ID!, $a: ID!) {
        explainAccess(personId: $p, category: IDENTITY, agencyId: $a) {
          allowed
          basis
          reason
          consentId
          meetingId
        }
      }
    `;
    // Her emergency, declared before the move, against none for an id that names no one.
    const her = await hub.query({ agency: silver }, EXPLAIN, { p: victim, a: silver });
    const nobody = await hub.query({ agency: silver }, EXPLAIN, { p: noOne, a: silver });
    expect(her.errors).toBeUndefined();
    expect(her).toEqual(nobody);
    expect(her.data).toEqual({
      explainAccess: { allowed: false, basis: null, reason: 'NO_LEGAL_BASIS', consentId: null, meetingId: null },
    });
    // A declaration now is refused for her as for an id that names no one: the town she left serves neither.
    const DECLARE = /* GraphQL */ `
      mutation ($p: ID!) {
        declareEmergency(input: { personId: $p, categories: [IDENTITY], reason: "生命の危険" }) {
          id
        }
      }
    `;
    const declared = [victim, noOne].map(async (p) =>
      JSON.stringify(await hub.query({ agency: silver }, DECLARE, { p })).replaceAll(p, '<the id>'),
    );
    const [forHer, forNobody] = await Promise.all(declared);
    expect(forHer).toEqual(forNobody);
    expect(forHer).toContain('OUTSIDE_JURISDICTION');
    // A resident of the town it serves is reached as before.
    const resident = residentId('watanabe');
    await declareEmergency(hub, silver, resident, ['IDENTITY']);
    const reached = await hub.query({ agency: silver }, EXPLAIN, { p: resident, a: silver });
    expect(reached.data).toMatchObject({ explainAccess: { allowed: true, basis: 'EMERGENCY' } });
  });

  it('revoking the consent stops the whereabouts on the next request (CONSENT_REVOKED)', async () => {
    await revokeConsent(hub, dvCentre, consentId);
    hub.forget();
    const result = await whereabouts(destinationWelfare);
    expect(result.data!.person.dvCase?.whereabouts ?? null).toBeNull();
    expect(denials(result.errors).map((d) => [d.category, d.reason])).toContainEqual([
      'DV_LOCATION',
      'CONSENT_REVOKED',
    ]);
    expect(askedFor(hub, 'child-dv', victim, 'whereabouts')).toBe(false);
  });
});

describe('a destination serving several municipalities is told which one she moves to (toMunicipalityCode)', () => {
  const areaDv = 'higashi-area-dv';
  let person = '';

  beforeAll(async () => {
    await registerAgency(hub, {
      id: areaDv,
      name: 'ひがし山広域配偶者暴力相談支援センター',
      domain: 'CHILD_DV',
      kind: '配偶者暴力相談支援センター',
      municipalityCode: '990002',
      jurisdiction: ['990002', '990001'],
    });
    person = await registerResident(hub, AGENCIES.minaminoWelfare.id);
    await openDvCase(hub, dvCentre, person, '990001');
    await grantConsent(hub, dvCentre, {
      personId: person,
      recipientAgencyIds: [areaDv],
      categories: ['DV', 'DV_LOCATION'],
    });
  });

  const move = (toMunicipalityCode?: string) =>
    hub.query<{ transferDvCase: { agencyId: string; transfers: { toMunicipalityCode: string | null }[] } | null }>(
      { agency: dvCentre },
      /* GraphQL */ `
        mutation ($input: TransferDvCaseInput!) {
          transferDvCase(input: $input) {
            agencyId
            transfers {
              toMunicipalityCode
            }
          }
        }
      `,
      {
        input: {
          personId: person,
          toAgencyId: areaDv,
          ...(toMunicipalityCode !== undefined ? { toMunicipalityCode } : {}),
        },
      },
    );

  /** The DV centre's transfer of the case with this input, answering the agency it went to. */
  const transferWith = (input: Record<string, unknown>) =>
    hub.query(
      { agency: dvCentre },
      /* GraphQL */ `
        mutation ($input: TransferDvCaseInput!) {
          transferDvCase(input: $input) {
            agencyId
          }
        }
      `,
      { input },
    );

  it('without it, or naming one the destination does not serve, nothing moves (BAD_USER_INPUT) and nothing is logged as given to the destination', async () => {
    hub.forget();
    const unnamed = await move();
    expect(unnamed.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'DESTINATION_MUNICIPALITY_REQUIRED'],
    ]);
    // Each says what is wrong with the argument: missing, or naming a town the destination does not serve.
    expect(unnamed.errors?.[0]?.message).toMatch(/^toMunicipalityCode is required/);
    const notServed = await move('990003');
    expect(notServed.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'DESTINATION_DOES_NOT_SERVE'],
    ]);
    expect(notServed.errors?.[0]?.message).toBe('toMunicipalityCode is not a municipality the destination serves');
    // A code that is no code says so, before whether the destination serves it.
    for (const code of ['', '99000', '990002\u0007']) {
      const malformed = await move(code);
      expect(
        malformed.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
        JSON.stringify(code),
      ).toEqual([['BAD_USER_INPUT', 'INVALID_MUNICIPALITY_CODE', 'toMunicipalityCode']]);
    }
    expect(sentToChildDv()).toEqual([]);
    // Input refused before the destination's basis was decided: her log names no access of the destination.
    const log = await readAccessLog(hub, person, municipality);
    expect(log.filter((entry) => entry.agency.id === areaDv)).toEqual([]);
  });

  it('a note the child-dv system would refuse (over 2000 characters) is refused before the destination’s basis is decided: nothing moves, nothing is logged as given to it', async () => {
    hub.forget();
    const result = await transferWith({
      personId: person,
      toAgencyId: areaDv,
      toMunicipalityCode: '990002',
      note: 'x'.repeat(2001),
    });
    expect(
      result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
    ).toEqual([['BAD_USER_INPUT', 'INVALID_LENGTH', 'note']]);
    expect(sentToChildDv()).toEqual([]);
    const log = await readAccessLog(hub, person, municipality);
    expect(log.filter((entry) => entry.agency.id === areaDv)).toEqual([]);
  });

  it('a municipality the destination does not serve is refused as not served, even when it is her own', async () => {
    const narrowDv = 'higashi-narrow-dv';
    await registerAgency(hub, {
      id: narrowDv,
      name: 'ひがし山配偶者暴力相談支援センター分室',
      domain: 'CHILD_DV',
      kind: '配偶者暴力相談支援センター',
      municipalityCode: '990002',
      jurisdiction: ['990002'],
    });
    hub.forget();
    const result = await transferWith({ personId: person, toAgencyId: narrowDv, toMunicipalityCode: '990001' });
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'DESTINATION_DOES_NOT_SERVE'],
    ]);
    expect(sentToChildDv()).toEqual([]);
    const log = await readAccessLog(hub, person, municipality);
    expect(log.filter((entry) => entry.agency.id === narrowDv)).toEqual([]);
  });

  it('naming one it serves, the case moves and she is registered there; the transfer keeps the municipality', async () => {
    const moved = await move('990002');
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.transferDvCase).toEqual({ agencyId: areaDv, transfers: [{ toMunicipalityCode: '990002' }] });
    const registered = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: areaDv },
      `{ person(id: "${person}") { municipalityCode } }`,
    );
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.person.municipalityCode).toBe('990002');
  });
});

/** A resident of みなみ野市 with an open DV case there, and a consent its welfare office records for her. */
async function withConsentOfHerTown(recipientAgencyIds: string[], categories: DataCategory[]): Promise<string> {
  const person = await registerResident(hub, municipality);
  await openDvCase(hub, dvCentre, person, '990001');
  await grantConsent(hub, municipality, { personId: person, recipientAgencyIds, categories });
  return person;
}

describe('a consent the town she left recorded before her move', () => {
  const silver = AGENCIES.minaminoSilver.id;
  const helloWork = AGENCIES.helloWorkMinamino.id;
  const CONSULTATIONS = /* GraphQL */ `
    query ($id: ID!) {
      person(id: $id) {
        consultations {
          agencyId
        }
      }
    }
  `;
  const CONSENTS = /* GraphQL */ `
    query ($id: ID!) {
      consents(personId: $id) {
        id
        revokedAt
        revocationReason
      }
    }
  `;
  let person = '';
  let consentId = '';
  let referralId = '';

  beforeAll(async () => {
    // Her town's welfare office records her consent to share her case records with its silver centre and
    // Hello Work (which serves both towns), and refers her to Hello Work.
    person = await withConsentOfHerTown([silver, helloWork], ['WELFARE_CASE']);
    consentId = (await hub.query<{ consents: { id: string }[] }>({ agency: municipality }, CONSENTS, { id: person }))
      .data!.consents[0]!.id;
    referralId = await givenReferral(hub, municipality, {
      personId: person,
      toAgencyId: helloWork,
      categories: ['WELFARE_CASE'],
    });
    const before = await hub.query({ agency: silver }, CONSULTATIONS, { id: person });
    expect(before.errors).toBeUndefined();
    await moveDvCase(hub, dvCentre, person, destinationDv);
    // Her new town's welfare office records a consultation: its agency says where she lives now.
    await mutate(
      hub,
      destinationWelfare,
      'mutation ($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }',
      { input: { personId: person, channel: 'VISIT', agencyKind: 'ELDERLY', summary: '転居後の生活相談' } },
    );
  });

  it('opens nothing of her to its recipient there: her new town’s records would tell where she fled, so she is answered as an id that names no one', async () => {
    hub.forget();
    const her = await hub.query({ agency: silver }, CONSULTATIONS, { id: person });
    expect(her).toMatchObject({ data: { person: null } });
    expect(her.errors).toBeUndefined();
    expect(JSON.stringify(her)).not.toContain(destinationWelfare);
    expect(askedFor(hub, 'welfare', person, 'consultations')).toBe(false);
    const nobody = await hub.query({ agency: silver }, CONSULTATIONS, { id: randomUUID() });
    expect(her).toEqual(nobody);
  });

  it('opens nothing of her to a recipient serving both towns either: her new town’s records would tell it which one she fled to', async () => {
    hub.forget();
    const read = await hub.query<{ person: { consultations: unknown[] | null } | null }>(
      { agency: helloWork },
      CONSULTATIONS,
      { id: person },
    );
    expect(JSON.stringify(read)).not.toContain(destinationWelfare);
    expect(read.data?.person?.consultations ?? null).toBeNull();
    expect(askedFor(hub, 'welfare', person, 'consultations')).toBe(false);
    const explained = await hub.query<{ explainAccess: { allowed: boolean } }>(
      { agency: helloWork },
      'query ($p: ID!, $a: ID!) { explainAccess(personId: $p, category: WELFARE_CASE, agencyId: $a) { allowed } }',
      { p: person, a: helloWork },
    );
    expect(explained.data!.explainAccess.allowed).toBe(false);
  });

  it('the reason her new town’s welfare office gives for revoking it is not shown to its recipient in the town she left, nor to one serving both towns', async () => {
    const reason = 'ひがし山町への転居に伴い撤回';
    await mutate(
      hub,
      destinationWelfare,
      'mutation ($id: ID!, $r: String!) { revokeConsent(id: $id, reason: $r) { id } }',
      {
        id: consentId,
        r: reason,
      },
    );
    hub.forget();
    const seen = await hub.query({ agency: silver }, CONSENTS, { id: person });
    expect(JSON.stringify(seen)).not.toContain(reason);
    // Nor to its recipient serving both towns: the reason would tell it which one she lives in.
    const bothTowns = await hub.query({ agency: helloWork }, CONSENTS, { id: person });
    expect(JSON.stringify(bothTowns)).not.toContain(reason);
    // Her new town's office reads it as its own record.
    const own = await hub.query<{ consents: { id: string; revocationReason: string }[] }>(
      { agency: destinationWelfare },
      CONSENTS,
      { id: person },
    );
    expect(own.data!.consents.find((c) => c.id === consentId)?.revocationReason).toBe(reason);
  });

  it('the note Hello Work, serving her new town, answers the referral the town she left sent with is not shown to the sender', async () => {
    const note = 'ひがし山町の求人で就職';
    await mutate(hub, helloWork, 'mutation ($id: ID!) { acceptReferral(id: $id) { id } }', { id: referralId });
    await mutate(
      hub,
      helloWork,
      'mutation ($id: ID!, $note: String) { completeReferral(id: $id, note: $note) { id } }',
      {
        id: referralId,
        note,
      },
    );
    hub.forget();
    const REFERRAL = 'query ($id: ID!) { referral(id: $id) { status responseNote } }';
    const sender = await hub.query({ agency: municipality }, REFERRAL, { id: referralId });
    expect(JSON.stringify(sender)).not.toContain(note);
    const receiver = await hub.query<{ referral: { status: string; responseNote: string } }>(
      { agency: helloWork },
      REFERRAL,
      { id: referralId },
    );
    expect(receiver.data!.referral).toEqual({ status: 'COMPLETED', responseNote: note });
  });

  it('one her new town’s welfare office records since her move opens what it names: the holder decided so (CONSENT)', async () => {
    await grantConsent(hub, destinationWelfare, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['WELFARE_CASE'],
      confirmBy: { WELFARE: destinationWelfare },
    });
    hub.forget();
    const read = await hub.query<{ person: { consultations: { agencyId: string }[] } }>(
      { agency: silver },
      CONSULTATIONS,
      { id: person },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.person.consultations.map((c) => c.agencyId)).toContain(destinationWelfare);
  });
});

describe('a consent recorded before her move, naming agencies of the town she left', () => {
  const silver = AGENCIES.minaminoSilver.id;
  const environment = AGENCIES.minaminoEnvironment.id;
  const PERSON = 'query ($id: ID!) { person(id: $id) { id __typename } }';
  const CONSENTS = 'query ($id: ID!) { consents(personId: $id) { id purpose revokedAt } }';
  let person = '';

  beforeAll(async () => {
    // Before her move, her town's welfare office records two consents: one for its environment projects,
    // in force, and one for its silver centre that starts tomorrow.
    person = await withConsentOfHerTown([environment], ['WELFARE_CASE']);
    await grantConsent(hub, municipality, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['WELFARE_CASE'],
      validFrom: daysFromNow(1),
      validUntil: daysFromNow(30),
    });
    await moveDvCase(hub, dvCentre, person, destinationDv);
  });

  /** What the agency is answered about her and about an id that names no one, each id written as <id>. */
  const bothAnswers = async (agency: string, query: string) => {
    const nobody = randomUUID();
    const seen = (answer: GraphQLResponse, id: string) => JSON.parse(JSON.stringify(answer).split(id).join('<id>'));
    return {
      her: seen(await hub.query({ agency }, query, { id: person }), person),
      nobody: seen(await hub.query({ agency }, query, { id: nobody }), nobody),
    };
  };

  it('its recorder and its recipients are answered as for an id that names no one, by person(id) and by consents(personId) alike, the recipient of one not yet started too', async () => {
    hub.forget();
    for (const agency of [municipality, environment, silver]) {
      for (const query of [PERSON, CONSENTS]) {
        const { her, nobody } = await bothAnswers(agency, query);
        expect({ agency, query, answer: her }).toEqual({ agency, query, answer: nobody });
      }
    }
  });
});

describe('a consent her new town records after her move, naming an agency of the town she left', () => {
  const silver = AGENCIES.minaminoSilver.id;
  let person = '';
  let consentId = '';

  beforeAll(async () => {
    person = await registerResident(hub, municipality);
    await openDvCase(hub, dvCentre, person, '990001');
    await moveDvCase(hub, dvCentre, person, destinationDv);
    // Her new town's welfare office records her consent to share who she is with the silver centre she knew.
    // IDENTITY is its own domain's: the consent opens it as recorded.
    consentId = await grantConsent(hub, destinationWelfare, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['IDENTITY'],
      confirmBy: false,
    });
  });

  it('opens what it names to that agency, which is not shown the consent: who recorded it tells where she lives', async () => {
    const named = await hub.query<{ person: { name: string | null } | null }>(
      { agency: silver },
      'query ($id: ID!) { person(id: $id) { name } }',
      { id: person },
    );
    expect(named.errors).toBeUndefined();
    expect(named.data!.person!.name).not.toBeNull();
    const listed = await hub.query(
      { agency: silver },
      'query ($id: ID!) { consents(personId: $id) { id createdAt obtainedBy { id municipality { code } } } }',
      { id: person },
    );
    expect(listed.data).toEqual({ consents: null });
    expect(listed.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['category']])).toEqual([
      ['FORBIDDEN', 'WELFARE_CASE'],
    ]);
    const told = JSON.stringify(listed);
    for (const where of [consentId, destinationWelfare, '990002']) expect(told).not.toContain(where);
  });

  it('is not listed to it either where another consent of her new town opens her welfare case to it', async () => {
    const opening = await grantConsent(hub, destinationWelfare, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['WELFARE_CASE'],
      confirmBy: false,
    });
    const listed = await hub.query(
      { agency: silver },
      'query ($id: ID!) { consents(personId: $id) { id obtainedBy { id municipality { code } } } }',
      { id: person },
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data).toEqual({ consents: [] });
    // What it opens, it opens all the same.
    const explained = await hub.query<{ explainAccess: unknown }>(
      { agency: silver },
      'query ($p: ID!, $a: ID!) { explainAccess(personId: $p, category: WELFARE_CASE, agencyId: $a) { allowed consentId } }',
      { p: person, a: silver },
    );
    expect(explained.data!.explainAccess).toEqual({ allowed: true, consentId: opening });
  });
});

describe('a referral from the town she left, to an agency her consent recorded before her move names', () => {
  const houkatsu = AGENCIES.minaminoHoukatsu.id;
  let person = '';

  beforeAll(async () => {
    // Before her move, the town's welfare office records her consent to share who she is with itself, its
    // comprehensive support centre and the welfare office of the town she is going to.
    person = await withConsentOfHerTown([municipality, houkatsu, destinationWelfare], ['IDENTITY']);
    await moveDvCase(hub, dvCentre, person, destinationDv);
  });

  const refer = (toAgencyId: string, personId = person) =>
    hub.query<{ createReferral: { basis: string } | null }>(
      { agency: municipality },
      /* GraphQL */ `
        mutation ($input: CreateReferralInput!) {
          createReferral(input: $input) {
            basis
          }
        }
      `,
      { input: { personId, toAgencyId, categories: ['IDENTITY'], reason: '転居後の生活支援の引継ぎ' } },
    );

  it('the consent recorded before her move opens nothing of her to the town she left: a referral is refused alike whatever the destination, as for an id that names no one', async () => {
    const nobody = randomUUID();
    const seen = (result: GraphQLResponse<unknown>, id: string) => JSON.stringify(result).replaceAll(id, '<the id>');
    const toNamed = await refer(houkatsu);
    expect(toNamed.data?.createReferral ?? null).toBeNull();
    expect(toNamed.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const toNewTown = await refer(destinationWelfare);
    expect(seen(toNewTown, person)).toEqual(seen(toNamed, person));
    expect(seen(await refer(houkatsu, nobody), nobody)).toEqual(seen(toNamed, person));
  });
});

describe('a referral between two agencies of the town she left, made before her move', () => {
  let person = '';
  let answered = '';
  let withdrawn = '';
  const STEP = (step: string) =>
    `mutation ($id: ID!, $note: String) { ${step}(id: $id, note: $note) { id status responseNote withdrawalNote } }`;
  const status = async (id: string) =>
    (
      await db.sql<{ status: string; responseNote: string | null }[]>`
      select status, response_note from hub.referral where id = ${id}`
    )[0];

  beforeAll(async () => {
    // Her town's welfare office refers her to its mental-health window twice, on her consent naming it.
    person = await withConsentOfHerTown([kokoro], ['WELFARE_CASE']);
    const refer = () =>
      givenReferral(hub, municipality, { personId: person, toAgencyId: kokoro, categories: ['WELFARE_CASE'] });
    answered = await refer();
    withdrawn = await refer();
    await moveDvCase(hub, dvCentre, person, destinationDv);
  });

  it('is moved by neither end any more: every transition is NOT_FOUND, as for an id that names no referral, and changes nothing', async () => {
    const nobody = randomUUID();
    const seen = (result: GraphQLResponse<unknown>) => JSON.stringify(result).replaceAll(nobody, '<the id>');
    for (const [agency, step, id] of [
      [kokoro, 'acceptReferral', answered],
      [kokoro, 'declineReferral', answered],
      [kokoro, 'completeReferral', answered],
      [municipality, 'withdrawReferral', withdrawn],
    ] as const) {
      const moved = await hub.query({ agency }, STEP(step), { id, note: '転居後の所見' });
      const unknown = await hub.query({ agency }, STEP(step), { id: nobody, note: '転居後の所見' });
      expect(moved.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
      expect({ step, answer: seen(moved).replaceAll(id, '<the id>') }).toEqual({ step, answer: seen(unknown) });
    }
    expect(await status(answered)).toEqual({ status: 'REQUESTED', responseNote: null });
    expect(await status(withdrawn)).toEqual({ status: 'REQUESTED', responseNote: null });
  });

  it('is in neither end’s list nor answered by id, as if it did not exist', async () => {
    const LISTS = `query ($id: ID!) {
      referral(id: $id) { id reason }
      referralsReceived(first: 200) { id reason }
      referralsSent(first: 200) { id reason }
    }`;
    type Lists = { referral: unknown; referralsReceived: { id: string }[]; referralsSent: { id: string }[] };
    for (const agency of [kokoro, municipality]) {
      const read = await hub.query<Lists>({ agency }, LISTS, { id: answered });
      expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
      expect(read.data!.referral).toBeNull();
      const listed = [...read.data!.referralsReceived, ...read.data!.referralsSent].map((r) => r.id);
      expect(listed).not.toContain(answered);
      expect(listed).not.toContain(withdrawn);
      expect(JSON.stringify(read)).not.toContain(person);
    }
    // Nor is one of them a cursor of the list it was in.
    const after = await hub.query(
      { agency: kokoro },
      'query ($after: ID) { referralsReceived(after: $after) { id } }',
      {
        after: answered,
      },
    );
    expect(after.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
  });
});

describe('a DV case moves to another agency than its holder (TRANSFER_TO_SELF)', () => {
  const childGuidance = AGENCIES.midoriChildGuidance.id;
  let person = '';

  beforeAll(async () => {
    person = await registerResident(hub, municipality);
    await openDvCase(hub, childGuidance, person);
    await grantConsent(hub, dvCentre, {
      personId: person,
      recipientAgencyIds: [childGuidance],
      categories: ['DV', 'DV_LOCATION'],
    });
  });

  const toItself = { toAgencyId: childGuidance, toMunicipalityCode: '990002' };

  it('a transfer naming the agency that holds the case, though it serves her destination and her consent names it, is refused as input before anything is decided, logged or sent', async () => {
    const logged = (await readAccessLog(hub, person, municipality)).length;
    hub.forget();
    const result = await hub.query({ agency: childGuidance }, TRANSFER, { input: { personId: person, ...toItself } });
    expect(
      result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
    ).toEqual([['BAD_USER_INPUT', 'TRANSFER_TO_SELF', 'toAgencyId']]);
    expect(result.errors?.[0]?.message).toBe('toAgencyId names the caller: it must name another agency');
    expect(sentToChildDv()).toEqual([]);
    expect(await readAccessLog(hub, person, municipality)).toHaveLength(logged);
  });

  it('child-dv refuses it too, with the same reason, when asked around the gateway’s check', async () => {
    const body = JSON.stringify({
      query: `mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { status } }`,
      variables: { input: { personId: person, ...toItself } },
    });
    const signature = await signSubgraphRequest({
      subgraph: 'child-dv',
      key: await gatewayKeys(hub.config.signing),
      body,
      agencyId: childGuidance,
      staffId: 'test-staff',
      requestId: 'test-transfer-to-self',
      categories: ['DV'],
      jurisdiction: ['990001', '990002'],
    });
    const response = await fetch(hub.subgraphs['child-dv'].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
      body,
    });
    const answer = (await response.json()) as GraphQLResponse<unknown>;
    expect(answer.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['BAD_USER_INPUT', 'TRANSFER_TO_SELF'],
    ]);
  });
});

describe('a welfare office the case moved to holds it as a DV agency does: it updates, closes and moves it on', () => {
  const UPDATE = /* GraphQL */ `
    mutation ($input: UpdateDvCaseInput!) {
      updateDvCase(input: $input) {
        status
      }
    }
  `;
  const update = (agency: string, personId: string, status: string) =>
    hub.query<{ updateDvCase: { status: string } | null }>({ agency }, UPDATE, { input: { personId, status } });
  const moveOn = (agency: string, personId: string, toAgencyId: string) =>
    hub.query<{ transferDvCase: Transferred | null }>({ agency }, TRANSFER, { input: { personId, toAgencyId } });

  /** A resident of みなみ野市 whose DV case the DV centre moved to ひがし山町's welfare office, on her consent. */
  async function heldByWelfare(): Promise<string> {
    const person = await registerResident(hub, municipality);
    await openDvCase(hub, dvCentre, person);
    await moveDvCase(hub, dvCentre, person, destinationWelfare, '転居先市町村への支援の引継ぎ');
    return person;
  }

  it('a welfare office that does not hold her case is refused NOT_FOUND: nothing is sent, decided or logged', async () => {
    const person = await registerResident(hub, municipality);
    await openDvCase(hub, dvCentre, person);
    const logged = (await readAccessLog(hub, person, municipality)).length;
    hub.forget();
    for (const result of [
      await update(municipality, person, 'CLOSED'),
      await moveOn(municipality, person, destinationWelfare),
    ])
      expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['argument']])).toEqual([
        ['NOT_FOUND', 'personId'],
      ]);
    expect(sentToChildDv()).toEqual([]);
    expect(await readAccessLog(hub, person, municipality)).toHaveLength(logged);
  });

  it('its holder records where the case stands and closes it; her new town’s DV agency may then open one', async () => {
    const person = await heldByWelfare();
    const supported = await update(destinationWelfare, person, 'INDEPENDENCE_SUPPORT');
    expect(supported.errors).toBeUndefined();
    expect(supported.data).toEqual({ updateDvCase: { status: 'INDEPENDENCE_SUPPORT' } });
    // What it returns is decided as any read: the welfare office reads her DV data on her consent, not as its own.
    const [newest] = await readAccessLog(hub, person, destinationWelfare);
    expect(newest).toMatchObject({ agency: { id: destinationWelfare }, categories: ['DV'], basis: 'CONSENT' });
    // Another agency of her new town does not hold it, and nobody may open a second one while it is open.
    expect((await update(destinationDv, person, 'CLOSED')).errors?.map((e) => e.extensions?.['code'])).toEqual([
      'NOT_FOUND',
    ]);
    const closed = await update(destinationWelfare, person, 'CLOSED');
    expect(closed.data).toEqual({ updateDvCase: { status: 'CLOSED' } });
    await openDvCase(hub, destinationDv, person);
  });

  it('its holder moves it on, on her consent naming the next destination and DV_LOCATION', async () => {
    const person = await heldByWelfare();
    hub.forget();
    const refused = await moveOn(destinationWelfare, person, dvCentre);
    expect(refusal(refused)).toEqual([{ code: 'FORBIDDEN', reason: 'NO_LEGAL_BASIS', category: 'DV_LOCATION' }]);
    expect(sentToChildDv()).toEqual([]);
    await grantConsent(hub, destinationDv, {
      personId: person,
      recipientAgencyIds: [dvCentre],
      categories: ['DV_LOCATION'],
      purpose: '転居先市町村への支援の引継ぎ',
    });
    const moved = await moveOn(destinationWelfare, person, dvCentre);
    expect(moved.errors).toBeUndefined();
    const held = await hub.query<{ person: { dvCase: { agencyId: string; transfers: unknown[] } } }>(
      { agency: dvCentre },
      CASE,
      { id: person },
    );
    // She is registered in みなみ野市 again: the DV centre reads her case as its own.
    expect(held.errors).toBeUndefined();
    expect(held.data!.person.dvCase).toMatchObject({
      agencyId: dvCentre,
      transfers: [{ toAgencyId: destinationWelfare }, { toAgencyId: dvCentre }],
    });
  });

  it('its holder records where she now lives: it gets its receipt, and reads the address on her consent as any read', async () => {
    const person = await heldByWelfare();
    const WHEREABOUTS = `query ($id: ID!) { person(id: $id) { dvCase { id } whereabouts { address } } }`;
    type Held = { person: { dvCase: { id: string }; whereabouts: { address: string } | null } };
    const before = await hub.query<Held>({ agency: destinationWelfare }, WHEREABOUTS, { id: person });
    expect(before.errors).toBeUndefined();
    const RECORD = 'mutation ($input: RecordWhereaboutsInput!) { recordWhereabouts(input: $input) { id } }';
    const input = {
      dvCaseId: before.data!.person.dvCase.id,
      municipalityCode: '990002',
      address: 'ひがし山町本町1-2-3',
      since: '2026-04-01',
    };
    // An agency that does not hold the case writes nothing: her new town's DV centre, the welfare office she left.
    for (const agency of [destinationDv, municipality]) {
      const notHeld = await hub.query({ agency }, RECORD, { input });
      expect(notHeld.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['argument']])).toEqual([
        ['NOT_FOUND', 'dvCaseId'],
      ]);
    }
    expect((await hub.query<Held>({ agency: destinationWelfare }, WHEREABOUTS, { id: person })).data).toEqual(
      before.data,
    );
    const recorded = await hub.query<{ recordWhereabouts: { id: string } }>({ agency: destinationWelfare }, RECORD, {
      input,
    });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordWhereabouts.id).toEqual(expect.any(String));
    // The sender of another domain than the record's gets its receipt: the address is not handed back, and
    // fields of one category are one denial, as for one (person, category).
    const asked = await hub.query(
      { agency: destinationWelfare },
      RECORD.replace('{ id }', '{ id address shelterName since }'),
      { input: { ...input, address: 'ひがし山町本町4-5-6' } },
    );
    expect(denials(asked.errors)).toEqual([
      {
        category: 'DV_LOCATION',
        reason: 'NO_LEGAL_BASIS',
        personId: undefined,
        path: ['recordWhereabouts', 'address'],
      },
    ]);
    const after = await hub.query<Held>({ agency: destinationWelfare }, WHEREABOUTS, { id: person });
    expect(after.errors).toBeUndefined();
    expect(after.data!.person.whereabouts).toEqual({ address: 'ひがし山町本町4-5-6' });
  });
});

describe('a transfer followed by a field that fails, in one request', () => {
  it('the case moved, so she is registered at the destination all the same: the town she left is not told where she went', async () => {
    const person = await registerResident(hub, municipality);
    await openDvCase(hub, dvCentre, person);
    await grantConsent(hub, dvCentre, {
      personId: person,
      recipientAgencyIds: [destinationDv],
      categories: ['DV', 'DV_LOCATION'],
    });
    const result = await hub.query(
      { agency: dvCentre },
      /* GraphQL */ `
        mutation ($t: TransferDvCaseInput!, $o: OpenDvCaseInput!) {
          a: transferDvCase(input: $t) {
            agencyId
          }
          b: openDvCase(input: $o) {
            id
          }
        }
      `,
      { t: { personId: person, toAgencyId: destinationDv }, o: { personId: person } },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.path)).toEqual([['b']]);
    const left = await hub.query({ agency: childSupport }, `{ person(id: "${person}") { dvCase { agencyId } } }`);
    expect(left).toMatchObject({ data: { person: null } });
    expect(left.errors).toBeUndefined();
    const arrived = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: destinationWelfare },
      `{ person(id: "${person}") { municipalityCode } }`,
    );
    expect(arrived.data!.person.municipalityCode).toBe('990002');
  });
});

describe("a transfer's answer", () => {
  it('is decided on where she lives after the move: the town she left reads nothing of her in it', async () => {
    const person = await registerResident(hub, municipality);
    await openDvCase(hub, dvCentre, person, '990001');
    await grantConsent(hub, dvCentre, {
      personId: person,
      recipientAgencyIds: [destinationDv],
      categories: ['DV', 'DV_LOCATION'],
    });
    const moved = await hub.query<{ transferDvCase: Record<string, unknown> | null }>(
      { agency: dvCentre },
      /* GraphQL */ `
        mutation ($input: TransferDvCaseInput!) {
          transferDvCase(input: $input) {
            agencyId
            person {
              id
              municipalityCode
              dvCase {
                agencyId
              }
            }
          }
        }
      `,
      { input: { personId: person, toAgencyId: destinationDv } },
    );
    // The destination it named is told back; where she now lives and who holds her case are not read again
    // on the bases from before the move (then its own domain's).
    expect(moved.data!.transferDvCase).toEqual({
      agencyId: destinationDv,
      person: { id: person, municipalityCode: null, dvCase: null },
    });
    expect(JSON.stringify(moved)).not.toContain('990002');
  });
});

describe('a transfer back on a consent recorded before her latest move', () => {
  it('is refused FORBIDDEN as any transfer without a basis, not an internal error: that consent opens nothing to the town she left', async () => {
    const person = await registerResident(hub, AGENCIES.higashiyamaWelfare.id, '990002');
    await openDvCase(hub, destinationDv, person);
    // To the centre, then back to her first town on a consent of the centre's.
    await moveDvCase(hub, destinationDv, person, dvCentre);
    await moveDvCase(hub, dvCentre, person, destinationDv);
    // The consent her first town recorded, naming the centre, was recorded before her latest move.
    const back = await hub.query<{ transferDvCase: { agencyId: string } | null }>(
      { agency: destinationDv },
      'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }',
      { input: { personId: person, toAgencyId: dvCentre } },
    );
    expect(back.data).toBeNull();
    expect(back.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['FORBIDDEN', 'NO_LEGAL_BASIS'],
    ]);
  });
});
