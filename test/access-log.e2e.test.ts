// Seeing the decisions: the access log as a person is shown it (disclosure view, by the welfare office of
// the person's municipality) and as an auditor sees it, its pagination, and its hash chain: append-only,
// linear under concurrency, tampering detected.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId, type Database } from '@hub/platform';
import {
  appendAudit,
  chainHash,
  createAuditWriter,
  recordsOf,
  readChainTip,
  verifyAuditChain,
  type AuditEntry,
} from '@hub/gateway/audit';
import { auditEntry, convene, declareEmergency, grantConsent, revokeConsent } from './support/bases.js';
import { codeOf, queryAs, startGatewayReplica, useConnection, useTestHub } from './support/hub.js';
import { registerChild } from './support/welfare.js';
import type { Role } from '@hub/gateway/roles';

const hub = useTestHub();
const db = useConnection(hub, 'test-access-log', 8);

const welfare = AGENCIES.minaminoWelfare.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const childGuidance = AGENCIES.midoriChildGuidance.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const otherTownWelfare = AGENCIES.higashiyamaWelfare.id;
const otherTownDv = AGENCIES.higashiyamaDv.id;

/**
 * Opens the pool's connections one after another: the embedded server mixes up the start-up queries of
 * connections opened at the same instant (pglite-socket interleaves their extended-protocol messages).
 */
async function openEveryConnection(database: Database, size = 8): Promise<void> {
  const reserved = [];
  for (let i = 0; i < size; i++) {
    const connection = await database.sql.reserve();
    await connection`select 1`;
    reserved.push(connection);
  }
  for (const connection of reserved) connection.release();
}

/** Runs an operation as an agency, optionally with token roles. */
const run = <T = Record<string, unknown>>(
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
  roles: Role[] = [],
) => queryAs<T>(hub, agency, query, variables, roles);

/** A new resident of みなみ野市, registered by its welfare office, so the hub knows where the person lives. */
async function resident(): Promise<string> {
  const result = await run<{ registerPerson: { id: string } }>(
    welfare,
    /* GraphQL */ `
      mutation {
        registerPerson(
          input: { name: "試験 花子", nameKana: "シケン ハナコ", birthDate: "1970-01-01", municipalityCode: "990001" }
        ) {
          id
        }
      }
    `,
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.registerPerson.id;
}

/** One decision about the person, as the log holds it (welfare's own read unless overridden). */
const entry = auditEntry;

const ACCESS_LOG = /* GraphQL */ `
  query ($personId: ID!, $first: Int, $after: String) {
    accessLog(personId: $personId, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          at
          agency {
            id
            name
          }
          staffId
          categories
          allowed
          basis
          reason
          consentId
          meetingId
          purpose
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface LogNode {
  id: string;
  agency: { id: string; name: string };
  staffId: string;
  categories: string[];
  allowed: boolean;
  basis: string | null;
  reason: string | null;
  consentId: string | null;
  meetingId: string | null;
  purpose: string | null;
}
interface LogPage {
  accessLog: {
    edges: { cursor: string; node: LogNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function readLog(agency: string, personId: string, roles: Role[] = [], first?: number, after?: string) {
  const result = await run<LogPage>(agency, ACCESS_LOG, { personId, first, after }, roles);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.accessLog;
}

const agenciesOf = (page: LogPage['accessLog']) => page.edges.map((e) => e.node.agency.id);
const purposesOf = (page: LogPage['accessLog']) => page.edges.map((e) => e.node.purpose);

const collaborator = AGENCIES.minaminoCollaborator.id;

/** Hello Work's denials in her log as `reader` is shown them: the reason, and the record it speaks of. */
const helloWorksDenials = async (person: string, reader: string, roles: Role[] = []) =>
  (await readLog(reader, person, roles, 200)).edges
    .filter((e) => e.node.agency.id === helloWork && !e.node.allowed)
    .map((e) => ({ reason: e.node.reason, meetingId: e.node.meetingId, consentId: e.node.consentId }));

/** A consent the collaborator recorded naming Hello Work for her MENTAL_HEALTH, then revoked: its id. */
async function helloWorksRevokedConsent(personId: string): Promise<string> {
  const consent = await grantConsent(hub, collaborator, {
    personId,
    recipientAgencyIds: [helloWork],
    categories: ['MENTAL_HEALTH'],
  });
  await revokeConsent(hub, collaborator, consent);
  return consent;
}

/** Why Hello Work is refused her risk assessments (MENTAL_HEALTH). */
const refusedBecause = async (person: string) =>
  (await run(helloWork, 'query ($p: ID!) { person(id: $p) { riskAssessments { level } } }', { p: person })).errors?.map(
    (e) => e.extensions?.['reason'],
  );

describe('one request, one entry per decision', () => {
  it('logs each (person, category) decision of a request once, however many paths or sources reach her', async () => {
    const son = residentId('yamada-son');
    const father = residentId('yamada-father');
    const purpose = `一度だけ ${randomUUID()}`;
    // CONTACT from welfare (phone) and from the hub's register (municipalityCode); the son again, and his
    // father, as members of their household.
    const read = await hub
      .as(collaborator, { purpose })
      .query('query ($p: ID!) { person(id: $p) { name phone municipalityCode household { members { id name } } } }', {
        p: son,
      });
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    /** How many of the request's entries about the person name the category. */
    const entriesOf = async (personId: string, category: string) =>
      (await readLog(kokoro, personId, ['auditor'], 200)).edges.filter(
        (e) => e.node.purpose === purpose && e.node.categories.includes(category),
      ).length;
    expect(await entriesOf(son, 'CONTACT')).toBe(1);
    expect(await entriesOf(son, 'IDENTITY')).toBe(1);
    expect(await entriesOf(father, 'IDENTITY')).toBe(1);
  });

  it("logs of each person what was asked of her: another alias's categories in the same fetch are not hers", async () => {
    const ito = residentId('ito');
    const son = residentId('yamada-son');
    const purpose = `別名ごと ${randomUUID()}`;
    // Hello Work reads ito's cases (on her consent) and only the son's id, in one request to welfare.
    const read = await hub
      .as(helloWork, { purpose })
      .query('query ($a: ID!, $b: ID!) { a: person(id: $a) { cases { status } } b: person(id: $b) { id } }', {
        a: ito,
        b: son,
      });
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    const entries = async (personId: string) =>
      (await readLog(kokoro, personId, ['auditor'], 200)).edges
        .filter((e) => e.node.purpose === purpose)
        .map((e) => e.node.categories);
    expect(await entries(ito)).toEqual([['WELFARE_CASE']]);
    // Nothing of the son was read but his id, and nothing was refused him.
    expect(await entries(son)).toEqual([]);
  });
});

describe('who reads the access log (アクセス記録)', () => {
  it("only auditors and the WELFARE agency of the person's municipality; anyone else is FORBIDDEN", async () => {
    const person = await resident();
    await appendAudit(db.sql, [entry(person)]);
    for (const agency of [helloWork, childGuidance, kokoro, otherTownWelfare]) {
      const refused = await run(agency, ACCESS_LOG, { personId: person });
      expect(codeOf(refused.errors)).toBe('FORBIDDEN');
      // A WELFARE office of another town is outside its jurisdiction; any other agency may not at all.
      expect(refused.errors?.[0]?.extensions?.['reason']).toBe(
        agency === otherTownWelfare ? 'OUTSIDE_JURISDICTION' : 'NOT_PERMITTED',
      );
      expect(refused.data).toBeNull();
    }
    expect((await readLog(welfare, person)).edges).toHaveLength(1);
    expect((await readLog(helloWork, person, ['auditor'])).edges).toHaveLength(1);
  });

  it('names the agency, staff, categories, decision, basis with its consent, and the stated purpose', async () => {
    const person = await resident();
    const consentId = randomUUID();
    await appendAudit(db.sql, [
      entry(person, {
        agencyId: helloWork,
        categories: ['WELFARE_CASE', 'CONTACT'],
        basis: 'CONSENT',
        consentId,
        purpose: '就労支援',
      }),
      entry(person, {
        agencyId: kokoro,
        categories: ['HIKIKOMORI'],
        allowed: false,
        basis: null,
        reason: 'NO_LEGAL_BASIS',
        purpose: null,
      }),
    ]);
    const log = await readLog(welfare, person);
    expect(log.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        agency: { id: kokoro, name: AGENCIES.minaminoKokoro.name },
        allowed: false,
        basis: null,
        reason: 'NO_LEGAL_BASIS',
        purpose: null,
      }),
      expect.objectContaining({
        agency: { id: helloWork, name: AGENCIES.helloWorkMinamino.name },
        staffId: 'staff-1',
        categories: ['WELFARE_CASE', 'CONTACT'],
        allowed: true,
        basis: 'CONSENT',
        consentId,
        meetingId: null,
        purpose: '就労支援',
      }),
    ]);
  });
});

describe('what the access log holds of a stranger', () => {
  it('an attempt on what other subgraphs hold is logged as denied, though answered as an id that names no one', async () => {
    const person = await resident();
    const unknown = randomUUID();
    // Another town's office holds nothing about her: she is a stranger to it.
    const asked = (id: string) => `{ person(id: "${id}") { riskAssessments { level } jobSeeker { desiredWork } } }`;
    hub.forget();
    const answer = await run(otherTownWelfare, asked(person));
    expect(answer).toEqual(await run(otherTownWelfare, asked(unknown)));
    expect(answer.data).toEqual({ person: null });
    expect(answer.errors).toBeUndefined();
    expect(hub.received('suicide-prevention')).toHaveLength(0);
    expect(hub.received('employment')).toHaveLength(0);

    const logged = (await readLog(welfare, person, ['auditor'])).edges.map((e) => e.node);
    expect(logged).toEqual([
      expect.objectContaining({
        agency: expect.objectContaining({ id: otherTownWelfare }),
        categories: ['EMPLOYMENT', 'MENTAL_HEALTH'],
        allowed: false,
        reason: 'NO_LEGAL_BASIS',
      }),
    ]);
  });
});

const PROTECT = /* GraphQL */ `
  mutation ($p: ID!, $until: DateTime!) {
    setDisclosureProtection(personId: $p, until: $until) {
      until
    }
  }
`;

describe('the disclosure view (不開示)', () => {
  it("withholds the CHILD_DV agencies' entries while a protection is active; auditors see them", async () => {
    const person = await resident();
    await appendAudit(db.sql, [
      entry(person, { agencyId: welfare }),
      entry(person, { agencyId: childGuidance, categories: ['CHILD_WELFARE'] }),
      entry(person, { agencyId: helloWork, allowed: false, basis: null, reason: 'NO_LEGAL_BASIS' }),
      entry(person, { agencyId: dvCentre, categories: ['DV'] }),
    ]);
    expect(agenciesOf(await readLog(welfare, person))).toEqual([dvCentre, helloWork, childGuidance, welfare]);

    const protect = await run(dvCentre, PROTECT, { p: person, until: new Date(Date.now() + 86_400_000).toISOString() });
    expect(protect.errors).toBeUndefined();

    const disclosed = await readLog(welfare, person);
    expect(agenciesOf(disclosed)).toEqual([helloWork, welfare]);
    expect(disclosed.pageInfo.hasNextPage).toBe(false);
    expect(JSON.stringify(disclosed)).not.toMatch(/CHILD_WELFARE|"DV"|midori/);
    expect(agenciesOf(await readLog(kokoro, person, ['auditor']))).toEqual([
      dvCentre,
      helloWork,
      childGuidance,
      welfare,
    ]);
    // An auditor in a WELFARE agency reads everything too.
    expect(agenciesOf(await readLog(welfare, person, ['auditor']))).toHaveLength(4);

    // Lifted (until now): the entries are shown again.
    await run(dvCentre, PROTECT, { p: person, until: new Date().toISOString() });
    expect(agenciesOf(await readLog(welfare, person))).toHaveLength(4);
  });

  it("withholds for good a CHILD_DV agency's entry made while a protection was active; one made before it began or after it ended is shown once it ends", async () => {
    const person = await resident();
    const dvRead = (purpose: string) => entry(person, { agencyId: dvCentre, categories: ['DV'], purpose });
    await appendAudit(db.sql, [dvRead('保護の前')]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await run(dvCentre, PROTECT, { p: person, until: tomorrow })).errors).toBeUndefined();
    await appendAudit(db.sql, [dvRead('保護の間')]);
    expect(purposesOf(await readLog(welfare, person))).toEqual([]);

    // Lifted (until now): what was read before and after is shown, what was read during it is not.
    expect((await run(dvCentre, PROTECT, { p: person, until: new Date().toISOString() })).errors).toBeUndefined();
    await appendAudit(db.sql, [dvRead('保護の後')]);
    const disclosed = await readLog(welfare, person);
    expect(purposesOf(disclosed)).toEqual(['保護の後', '保護の前']);
    expect(disclosed.pageInfo.hasNextPage).toBe(false);
    expect(purposesOf(await readLog(kokoro, person, ['auditor']))).toEqual(['保護の後', '保護の間', '保護の前']);
  });

  it('keeps a protection a release that does not know the history set (a rolling upgrade), and the history takes no change', async () => {
    const person = await resident();
    await db.sql`
      insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until)
      values (${person}, ${dvCentre}, 'staff-1', now() + interval '1 day')`;
    await appendAudit(db.sql, [entry(person, { agencyId: dvCentre, categories: ['DV'], purpose: '旧版の保護の間' })]);
    expect((await run(dvCentre, PROTECT, { p: person, until: new Date().toISOString() })).errors).toBeUndefined();
    expect(purposesOf(await readLog(welfare, person))).toEqual([]);
    await expect(
      db.sql`update hub.disclosure_protection_change set until = now() where person_id = ${person}`,
    ).rejects.toThrow(/append-only/);
  });

  it("one CHILD_DV agency's lifting ends its own protection only; what was read while another's was active stays withheld after that ends too", async () => {
    const person = await resident();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await run(dvCentre, PROTECT, { p: person, until: tomorrow })).errors).toBeUndefined();
    expect((await run(childGuidance, PROTECT, { p: person, until: tomorrow })).errors).toBeUndefined();
    expect((await run(dvCentre, PROTECT, { p: person, until: new Date().toISOString() })).errors).toBeUndefined();
    await appendAudit(db.sql, [entry(person, { agencyId: dvCentre, categories: ['DV'], purpose: '児相の保護の間' })]);
    expect(purposesOf(await readLog(welfare, person))).toEqual([]);

    expect((await run(childGuidance, PROTECT, { p: person, until: new Date().toISOString() })).errors).toBeUndefined();
    expect(purposesOf(await readLog(welfare, person))).toEqual([]);
    expect(purposesOf(await readLog(kokoro, person, ['auditor']))).toEqual(['児相の保護の間']);
  });

  it('the declaring agency and an auditor reading declarations are logged for whom each is about, whichever of their fields they ask', async () => {
    const person = await resident();
    const declared = await hub
      .as(kokoro, { purpose: '緊急の申告' })
      .query<{ declareEmergency: { id: string } }>(
        'mutation ($p: ID!) { declareEmergency(input: { personId: $p, categories: [CONTACT], reason: "自傷の危険" }) { id } }',
        { p: person },
      );
    expect(declared.errors, JSON.stringify(declared.errors)).toBeUndefined();
    const emergencyId = declared.data!.declareEmergency.id;
    for (const [agency, purpose, roles] of [
      [kokoro, '申告の一覧', []],
      [helloWork, '審査の一覧', ['auditor']],
    ] as const) {
      const listed = await hub
        .as(agency, { purpose, roles: [...roles] })
        .query('{ emergencyAccesses { personId categories } }');
      expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
    }
    const log = await readLog(kokoro, person, ['auditor'], 200);
    const by = (purpose: string) =>
      log.edges
        .filter((e) => e.node.purpose === purpose)
        .map(({ node: { agency, categories, allowed, basis } }) => ({ agency: agency.id, categories, allowed, basis }));
    const own = { agency: kokoro, categories: ['WELFARE_CASE'], allowed: true, basis: 'OWN_DOMAIN' };
    expect(by('緊急の申告')).toEqual([own]);
    expect(by('申告の一覧')).toEqual([own]);
    expect(by('審査の一覧')).toEqual([
      { agency: helloWork, categories: ['WELFARE_CASE'], allowed: true, basis: 'AUDIT' },
    ]);
    const audited = await run<{ accessLog: { edges: { node: { purpose: string; emergencyId: string } }[] } }>(
      kokoro,
      'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { purpose emergencyId } } } }',
      { p: person },
      ['auditor'],
    );
    expect(audited.data!.accessLog.edges.find((e) => e.node.purpose === '審査の一覧')?.node.emergencyId).toBe(
      emergencyId,
    );
  });

  it("an auditor's list holding two declarations about one person is logged once for each, naming it", async () => {
    const person = await resident();
    const first = await declareEmergency(hub, kokoro, person, ['CONTACT']);
    const second = await declareEmergency(hub, welfare, person, ['MENTAL_HEALTH']);
    const listed = await hub
      .as(helloWork, { purpose: '二件の審査', roles: ['auditor'] })
      .query('{ emergencyAccesses(review: PENDING) { id personId } }');
    expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
    const log = await run<{
      accessLog: { edges: { node: { purpose: string; basis: string; emergencyId: string } }[] };
    }>(
      kokoro,
      'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { purpose basis emergencyId } } } }',
      { p: person },
      ['auditor'],
    );
    const audits = log.data!.accessLog.edges.filter((e) => e.node.purpose === '二件の審査').map((e) => e.node);
    expect(audits.map((n) => n.emergencyId).sort()).toEqual([first, second].sort());
    expect(new Set(audits.map((n) => n.basis))).toEqual(new Set(['AUDIT']));
  });

  it("withholds an auditor's review of an emergency that tells of child protection or DV, whatever the protection; shows the review of any other, naming the emergency", async () => {
    const person = await resident();
    const told = await declareEmergency(hub, dvCentre, person, ['DV']);
    const untold = await declareEmergency(hub, kokoro, person, ['CONTACT']);
    // An auditor of Hello Work reads both declarations' reasons to review them.
    const reasons = await run<{ emergencyAccesses: { id: string; reason: string }[] }>(
      helloWork,
      '{ emergencyAccesses { id reason } }',
      {},
      ['auditor'],
    );
    expect(reasons.errors).toBeUndefined();
    expect(reasons.data!.emergencyAccesses.map((e) => e.id)).toEqual(expect.arrayContaining([told, untold]));
    const reviewed = async (agency: string, roles: Role[] = []) => {
      const log = await run<{ accessLog: { edges: { node: ReviewNode }[] } }>(
        agency,
        'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { agency { id } basis emergencyId } } } }',
        { p: person },
        roles,
      );
      expect(log.errors).toBeUndefined();
      return log.data!.accessLog.edges.map((e) => e.node).filter((n) => n.basis === 'AUDIT');
    };
    type ReviewNode = { agency: { id: string }; basis: string | null; emergencyId: string | null };
    // Each review is logged as Hello Work's, on the auditor's role, naming the emergency it read.
    expect((await reviewed(kokoro, ['auditor'])).sort((a, b) => a.emergencyId!.localeCompare(b.emergencyId!))).toEqual(
      [told, untold].sort().map((emergencyId) => ({ agency: { id: helloWork }, basis: 'AUDIT', emergencyId })),
    );
    // The disclosure view shows the review of the declaration that tells of nothing, and not the other: an
    // emergency about her beside reads the view leaves out would tell of a DV case.
    expect(await reviewed(welfare)).toEqual([{ agency: { id: helloWork }, basis: 'AUDIT', emergencyId: untold }]);
  });

  it("an auditor of the declaring agency reviews its declaration on AUDIT too: the disclosure view withholds that review as any auditor's", async () => {
    const person = await resident();
    const told = await declareEmergency(hub, welfare, person, ['CHILD_WELFARE']);
    const entries = async (agency: string, roles: Role[] = []) => {
      const log = await run<{ accessLog: { edges: { node: { agency: { id: string }; basis: string | null } }[] } }>(
        agency,
        'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { agency { id } basis } } } }',
        { p: person },
        roles,
      );
      expect(log.errors).toBeUndefined();
      return log.data!.accessLog.edges.map((e) => e.node);
    };
    const disclosedBefore = await entries(welfare);
    // The welfare office's auditor reads the declaration's reason from its queue, to review it.
    const queue = await run<{ emergencyAccesses: { id: string; reason: string }[] }>(
      welfare,
      '{ emergencyAccesses(review: PENDING) { id reason } }',
      {},
      ['auditor'],
    );
    expect(queue.errors).toBeUndefined();
    expect(queue.data!.emergencyAccesses.map((e) => e.id)).toContain(told);
    const audited = await run<{ accessLog: { edges: { node: { basis: string; emergencyId: string | null } }[] } }>(
      kokoro,
      'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { basis emergencyId } } } }',
      { p: person },
      ['auditor'],
    );
    expect(audited.data!.accessLog.edges.map((e) => e.node)).toContainEqual({ basis: 'AUDIT', emergencyId: told });
    // A review of an emergency naming CHILD_WELFARE is withheld from the view: nothing of it is added there.
    expect(await entries(welfare)).toEqual(disclosedBefore);
  });

  it('withholds them without anyone setting it while the person has an open DV case; a manual flag never shortens it', async () => {
    // 鈴木 (the demo's DV victim) has an open DV case in the child-DV system.
    const person = residentId('suzuki-mother');
    await appendAudit(db.sql, [
      entry(person, { agencyId: welfare, purpose: '自動保護 1' }),
      entry(person, { agencyId: dvCentre, categories: ['DV'], purpose: '自動保護 2' }),
    ]);
    const disclosed = await readLog(welfare, person, [], 200);
    expect(agenciesOf(disclosed)).toContain(welfare);
    expect(agenciesOf(disclosed)).not.toContain(dvCentre);
    expect(agenciesOf(await readLog(kokoro, person, ['auditor'], 200))).toContain(dvCentre);

    // A manual protection that ends now does not lift the automatic one.
    expect((await run(dvCentre, PROTECT, { p: person, until: new Date().toISOString() })).errors).toBeUndefined();
    expect(agenciesOf(await readLog(welfare, person, [], 200))).not.toContain(dvCentre);
  });

  it("withholds from a protected person's view any agency's entry that tells of child protection or DV: its category, or a child council as its basis", async () => {
    // 鈴木 (the demo's DV victim) has an open DV case in the child-DV system.
    const person = residentId('suzuki-mother');
    await appendAudit(db.sql, [
      entry(person, { agencyId: kokoro, purpose: '関与 1' }),
      entry(person, { agencyId: welfare, categories: ['CHILD_WELFARE'], purpose: '関与 2' }),
      entry(person, { agencyId: welfare, categories: ['DV'], basis: 'SUPPORT_MEETING', purpose: '関与 3' }),
      entry(person, { agencyId: helloWork, categories: ['WELFARE_CASE'], basis: 'CHILD_COUNCIL', purpose: '関与 4' }),
    ]);
    const purposes = async (agency: string, roles: Role[] = []) => {
      const result = await run<{ accessLog: { edges: { node: { purpose: string } }[] } }>(
        agency,
        'query ($p: ID!) { accessLog(personId: $p, first: 200) { edges { node { purpose } } } }',
        { p: person },
        roles,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.accessLog.edges.map((e) => e.node.purpose).filter((p) => p?.startsWith('関与'));
    };
    expect(await purposes(welfare)).toEqual(['関与 1']);
    expect((await purposes(kokoro, ['auditor'])).sort()).toEqual(['関与 1', '関与 2', '関与 3', '関与 4']);
  });

  it("withholds another agency's entry that tells of child protection or DV with no protection active too, and any agency's on a child council: one that vanished when a case opened would tell its reader", async () => {
    const person = await resident();
    await appendAudit(db.sql, [
      entry(person, { agencyId: kokoro, purpose: '無保護 1' }),
      entry(person, { agencyId: welfare, categories: ['DV'], basis: 'EMERGENCY', purpose: '無保護 2' }),
      entry(person, { agencyId: helloWork, categories: ['CHILD_WELFARE'], purpose: '無保護 3' }),
      entry(person, { agencyId: dvCentre, categories: ['IDENTITY'], purpose: '無保護 4' }),
      entry(person, { agencyId: dvCentre, categories: ['IDENTITY'], basis: 'CHILD_COUNCIL', purpose: '無保護 5' }),
    ]);
    const purposes = (log: Awaited<ReturnType<typeof readLog>>) =>
      log.edges.map((e) => e.node.purpose).filter((p) => p?.startsWith('無保護'));
    // No open case and no flag: the DV centre's own entry shows, the others' of DV and child welfare do not,
    // nor its own resting on a child council (one of her child's, which her own cases do not protect).
    expect(purposes(await readLog(welfare, person, [], 200))).toEqual(['無保護 4', '無保護 1']);
    expect(purposes(await readLog(kokoro, person, ['auditor'], 200))).toEqual([
      '無保護 5',
      '無保護 4',
      '無保護 3',
      '無保護 2',
      '無保護 1',
    ]);
  });

  it('withholds them without anyone setting it while an urgent report (通告) about the person is not closed', async () => {
    const child = await resident();
    const childSupport = AGENCIES.minaminoChildSupport.id;
    await appendAudit(db.sql, [
      entry(child, { agencyId: welfare, purpose: '通告 1' }),
      entry(child, { agencyId: childSupport, categories: ['CHILD_WELFARE'], purpose: '通告 2' }),
    ]);
    expect(agenciesOf(await readLog(welfare, child))).toContain(childSupport);
    const filed = await run(
      welfare,
      /* GraphQL */ `
        mutation ($input: RecordAbuseReportInput!) {
          recordAbuseReport(input: $input) {
            status
          }
        }
      `,
      { input: { personId: child, kind: 'NEGLECT', urgency: 'IMMEDIATE', receivingAgencyId: childSupport } },
    );
    expect(filed.errors).toBeUndefined();
    const disclosed = agenciesOf(await readLog(welfare, child));
    expect(disclosed).toContain(welfare);
    expect(disclosed).not.toContain(childSupport);
  });

  it('withholds every DV_LOCATION entry while protected, whoever asked: a denial of her whereabouts tells that they are recorded', async () => {
    const person = residentId('suzuki-mother');
    await appendAudit(db.sql, [
      entry(person, { agencyId: helloWork, purpose: '所在 1' }),
      entry(person, {
        agencyId: helloWork,
        categories: ['DV_LOCATION'],
        allowed: false,
        basis: null,
        reason: 'PROTECTED_LOCATION',
        purpose: '所在 2',
      }),
      entry(person, { agencyId: otherTownWelfare, categories: ['DV_LOCATION'], purpose: '所在 3' }),
    ]);
    const purposes = (log: Awaited<ReturnType<typeof readLog>>) =>
      log.edges.map((e) => e.node.purpose).filter((p) => p?.startsWith('所在'));
    expect(purposes(await readLog(welfare, person, [], 200))).toEqual(['所在 1']);
    expect(purposes(await readLog(kokoro, person, ['auditor'], 200))).toEqual(['所在 3', '所在 2', '所在 1']);
  });

  it('names the staff member as the identity provider wrote the id, in any script (山田太郎): a read reaching the subgraphs is answered, not 500', async () => {
    const person = await resident();
    for (const staff of ['山田太郎', 'ｔａｎａｋａ', 'müller']) {
      const read = await hub
        .as(welfare, { sub: staff })
        .query('query ($p: ID!) { person(id: $p) { name cases { id } } }', { p: person });
      expect(read.errors, staff).toBeUndefined();
      expect((read.data as { person: { name: string } }).person.name).toEqual(expect.any(String));
    }
    const log = await readLog(welfare, person, [], 200);
    expect(log.edges.map((e) => e.node.staffId)).toEqual(
      expect.arrayContaining(['山田太郎', 'ｔａｎａｋａ', 'müller']),
    );
  });

  it('shows the disclosure reader its own plain denial of DV or child-welfare data whether or not a protection is active: it cannot tell from it that a case is open', async () => {
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const staff = 'oracle-probe-staff';
    const seen = async (person: string) => {
      const read = await hub
        .as(houkatsu, { sub: staff })
        .query('query ($p: ID!) { person(id: $p) { dvCase { status } childWelfareCases { id } } }', { p: person });
      expect(read.errors?.map((e) => e.extensions?.['reason'])).toContain('NO_LEGAL_BASIS');
      const log = await readLog(houkatsu, person, [], 200);
      return log.edges
        .filter((e) => e.node.staffId === staff)
        .map((e) => [...e.node.categories].sort().join(','))
        .sort();
    };
    // 鈴木 has an open DV case (protected without anyone setting it); a new resident has nothing.
    const protectedOne = await seen(residentId('suzuki-mother'));
    const unprotected = await seen(await resident());
    expect(protectedOne).toEqual(unprotected);
    expect(protectedOne.join(';')).toMatch(/DV/);
  });

  it("keeps showing a non-CHILD_DV agency's denial of DV data on any reason (a meeting's too) when a protection starts: its going would tell that a case was opened", async () => {
    const person = await resident();
    await appendAudit(db.sql, [
      entry(person, {
        agencyId: welfare,
        categories: ['DV'],
        allowed: false,
        basis: null,
        reason: 'CATEGORY_NOT_SHARED',
        purpose: '会議 1',
      }),
      entry(person, {
        agencyId: helloWork,
        categories: ['CHILD_WELFARE'],
        allowed: false,
        basis: null,
        reason: 'CONSENT_NOT_CONFIRMED',
        purpose: '会議 2',
      }),
    ]);
    const purposes = async () =>
      (await readLog(welfare, person, [], 200)).edges.map((e) => e.node.purpose).filter((p) => p?.startsWith('会議'));
    const before = await purposes();
    expect(before).toEqual(['会議 2', '会議 1']);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    expect((await run(dvCentre, PROTECT, { p: person, until })).errors).toBeUndefined();
    expect(await purposes()).toEqual(before);
  });

  it("tells another agency's denial on a meeting or a consent as NO_LEGAL_BASIS to a reader that is not of that meeting or named in that consent; members, named agencies and auditors see the reason", async () => {
    const reasonsOf = async (person: string, reader: string, roles: Role[] = []) =>
      (await helloWorksDenials(person, reader, roles)).map((denial) => denial.reason);

    // Hello Work, a member of a support meeting that has not acknowledged confidentiality, is refused her
    // MENTAL_HEALTH on the meeting's reason; the town's welfare office is no member of it.
    const inMeeting = await resident();
    await convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [inMeeting],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
    });
    expect(await refusedBecause(inMeeting)).toEqual(['CONFIDENTIALITY_NOT_ACKNOWLEDGED']);
    expect(await reasonsOf(inMeeting, welfare)).toEqual(['NO_LEGAL_BASIS']);
    expect(await reasonsOf(inMeeting, collaborator)).toEqual(['CONFIDENTIALITY_NOT_ACKNOWLEDGED']);
    expect(await reasonsOf(inMeeting, welfare, ['auditor'])).toEqual(['CONFIDENTIALITY_NOT_ACKNOWLEDGED']);

    // A consent that the collaborator recorded naming Hello Work, then revoked: the welfare office is not
    // named in it.
    const consented = await resident();
    await helloWorksRevokedConsent(consented);
    expect(await refusedBecause(consented)).toEqual(['CONSENT_REVOKED']);
    expect(await reasonsOf(consented, welfare)).toEqual(['NO_LEGAL_BASIS']);
    expect(await reasonsOf(consented, welfare, ['auditor'])).toEqual(['CONSENT_REVOKED']);
  });

  it('tells a denial on a child council as NO_LEGAL_BASIS to every reader, its members and the denied agency too: the view never tells a parent that a council covers the child', async () => {
    const child = await registerChild(hub);
    const council = await convene(hub, collaborator, {
      kind: 'CHILD_COUNCIL',
      subjectPersonIds: [child],
      sharedCategories: ['WELFARE_CASE'],
      members: [helloWork],
      acknowledged: [helloWork],
    });
    // Hello Work, a member, is refused the child's risk assessments: the council does not share MENTAL_HEALTH.
    expect(await refusedBecause(child)).toEqual(['CATEGORY_NOT_SHARED']);
    const UNTOLD = [{ reason: 'NO_LEGAL_BASIS', meetingId: null, consentId: null }];
    expect(await helloWorksDenials(child, collaborator)).toEqual(UNTOLD);
    expect(await helloWorksDenials(child, welfare, ['auditor'])).toEqual([
      { reason: 'CATEGORY_NOT_SHARED', meetingId: council, consentId: null },
    ]);
    // The convener's own denial on the council (the child's employment, which it does not share) alike.
    const purpose = `要対協 ${randomUUID()}`;
    const own = await hub
      .as(collaborator, { purpose })
      .query('query ($p: ID!) { person(id: $p) { jobSeeker { status } } }', { p: child });
    expect(own.errors?.map((e) => e.extensions?.['reason'])).toEqual(['CATEGORY_NOT_SHARED']);
    const ownDenials = (await readLog(collaborator, child, [], 200)).edges
      .filter((e) => e.node.purpose === purpose)
      .map((e) => ({ reason: e.node.reason, meetingId: e.node.meetingId }));
    expect(ownDenials).toEqual([{ reason: 'NO_LEGAL_BASIS', meetingId: null }]);
  });

  it("tells a meeting's reason only to a reader of that meeting, a consent's only to one that consent names: another meeting or consent about her is not enough", async () => {
    /** Hello Work's one denial as the welfare office, the collaborator and an auditor are shown it. */
    const toldOf = async (person: string) => ({
      welfare: await helloWorksDenials(person, welfare),
      collaborator: await helloWorksDenials(person, collaborator),
      auditor: await helloWorksDenials(person, welfare, ['auditor']),
    });
    const UNTOLD = [{ reason: 'NO_LEGAL_BASIS', meetingId: null, consentId: null }];

    // The welfare office convened a meeting about her; Hello Work is a member of another, convened by the
    // collaborator, which it has not acknowledged.
    const inMeeting = await resident();
    await convene(hub, welfare, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [inMeeting],
      sharedCategories: ['MENTAL_HEALTH'],
    });
    const theirs = await convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [inMeeting],
      sharedCategories: ['MENTAL_HEALTH'],
      members: [helloWork],
    });
    expect(await refusedBecause(inMeeting)).toEqual(['CONFIDENTIALITY_NOT_ACKNOWLEDGED']);
    const unacknowledged = [{ reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED', meetingId: theirs, consentId: null }];
    expect(await toldOf(inMeeting)).toEqual({ welfare: UNTOLD, collaborator: unacknowledged, auditor: unacknowledged });

    // The welfare office recorded a consent of hers naming the counselling centre; the collaborator recorded
    // one naming Hello Work, and revoked it.
    const consented = await resident();
    await grantConsent(hub, welfare, {
      personId: consented,
      recipientAgencyIds: [kokoro],
      categories: ['WELFARE_CASE'],
    });
    const revoked = await helloWorksRevokedConsent(consented);
    expect(await refusedBecause(consented)).toEqual(['CONSENT_REVOKED']);
    const onRevoked = [{ reason: 'CONSENT_REVOKED', meetingId: null, consentId: revoked }];
    expect(await toldOf(consented)).toEqual({ welfare: UNTOLD, collaborator: onRevoked, auditor: onRevoked });
  });

  it("shows another agency's access of one request to what tells of no involvement, without the child-welfare data it read with it", async () => {
    const person = await resident();
    const purpose = `混在 ${randomUUID()}`;
    await declareEmergency(hub, welfare, person, ['MENTAL_HEALTH', 'CHILD_WELFARE']);
    const read = await hub
      .as(welfare, { purpose })
      .query('query ($p: ID!) { person(id: $p) { riskAssessments { id } childWelfareCases { id } } }', { p: person });
    expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    const categoriesOf = async (roles: Role[]) =>
      (await readLog(welfare, person, roles, 200)).edges
        .filter((e) => e.node.purpose === purpose)
        .map((e) => [...e.node.categories].sort());
    expect(await categoriesOf([])).toEqual([['MENTAL_HEALTH']]);
    expect(await categoriesOf(['auditor'])).toEqual([['CHILD_WELFARE', 'MENTAL_HEALTH']]);
  });

  it("withholds a non-CHILD_DV agency's access to DV data whether or not a protection is active: its going when one started would tell its reader so", async () => {
    const person = await resident();
    await appendAudit(db.sql, [
      entry(person, { agencyId: welfare, categories: ['DV'], basis: 'CONSENT', consentId: 'c-dv', purpose: '同意 1' }),
      entry(person, { agencyId: welfare, categories: ['IDENTITY'], purpose: '同意 2' }),
    ]);
    const purposes = async (roles: Role[] = []) =>
      (await readLog(welfare, person, roles, 200)).edges
        .map((e) => e.node.purpose)
        .filter((p) => p?.startsWith('同意'));
    expect(await purposes()).toEqual(['同意 2']);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    expect((await run(dvCentre, PROTECT, { p: person, until })).errors).toBeUndefined();
    expect(await purposes()).toEqual(['同意 2']);
    expect(await purposes(['auditor'])).toEqual(['同意 2', '同意 1']);
  });

  it('a CHILD_DV agency sets a protection only for a person it serves (OUTSIDE_JURISDICTION), an unknown id alike; a refusal records nothing', async () => {
    const person = await resident();
    await appendAudit(db.sql, [entry(person, { agencyId: welfare }), entry(person, { agencyId: dvCentre })]);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const stranger = randomUUID();

    // ひがし山町's DV window serves ひがし山町 only; this person is registered in みなみ野市.
    for (const [agency, personId] of [
      [otherTownDv, person],
      [dvCentre, stranger],
    ] as const) {
      const refused = await run(agency, PROTECT, { p: personId, until });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    }
    expect(agenciesOf(await readLog(welfare, person))).toEqual([dvCentre, welfare]);
    const recorded = await db.sql`
      select person_id from hub.disclosure_protection where person_id in (${person}, ${stranger})`;
    expect(recorded).toEqual([]);
  });

  it('pages are full whatever was withheld, so their sizes reveal nothing', async () => {
    const person = await resident();
    await appendAudit(
      db.sql,
      Array.from({ length: 6 }, (_, i) => entry(person, { agencyId: i % 2 ? childGuidance : welfare })),
    );
    await run(childGuidance, PROTECT, { p: person, until: new Date(Date.now() + 86_400_000).toISOString() });
    const page = await readLog(welfare, person, [], 2);
    expect(agenciesOf(page)).toEqual([welfare, welfare]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const rest = await readLog(welfare, person, [], 2, page.pageInfo.endCursor!);
    expect(agenciesOf(rest)).toEqual([welfare]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });
});

describe('pagination', () => {
  it('walks the log newest first with cursors, first ≤ 200', async () => {
    const person = await resident();
    await appendAudit(
      db.sql,
      Array.from({ length: 7 }, (_, i) => entry(person, { purpose: `目的 ${i}` })),
    );
    const purposes: (string | null)[] = [];
    let after: string | undefined;
    const pages: number[] = [];
    for (;;) {
      const page = await readLog(welfare, person, [], 3, after);
      pages.push(page.edges.length);
      purposes.push(...page.edges.map((e) => e.node.purpose));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(purposes).toEqual(['目的 6', '目的 5', '目的 4', '目的 3', '目的 2', '目的 1', '目的 0']);

    for (const variables of [
      { personId: person, first: 201 },
      { personId: person, first: 0 },
      { personId: person, after: 'not-a-cursor' },
      { personId: 'not-a-uuid' },
    ]) {
      expect(codeOf((await run(welfare, ACCESS_LOG, variables)).errors)).toBe('BAD_USER_INPUT');
    }
    expect((await readLog(welfare, person, [], 200)).edges).toHaveLength(7);
    // An id the register does not know is no one the welfare office serves; an auditor finds nothing.
    expect(codeOf((await run(welfare, ACCESS_LOG, { personId: randomUUID() })).errors)).toBe('FORBIDDEN');
    expect((await readLog(kokoro, randomUUID(), ['auditor'])).edges).toEqual([]);
  });
});

describe('entry ids and cursors', () => {
  it('say nothing of the log’s sequence: sealed, the same on every view and replica, and no cursor can be built', async () => {
    const person = await resident();
    await appendAudit(
      db.sql,
      Array.from({ length: 5 }, (_, i) => entry(person, { agencyId: i === 2 ? childGuidance : welfare })),
    );
    await run(childGuidance, PROTECT, { p: person, until: new Date(Date.now() + 86_400_000).toISOString() });
    const disclosed = await readLog(welfare, person, [], 200);
    const audited = await readLog(kokoro, person, ['auditor'], 200);
    expect(disclosed.edges).toHaveLength(4);
    expect(audited.edges).toHaveLength(5);

    // The raw row ids of her entries, as the database has them: none shows in an id or a cursor.
    const rows = await db.sql<{ id: string }[]>`
      select id::text from hub.audit_log where ${person} = any(person_ids) or person_id = ${person}`;
    expect(rows.length).toBeGreaterThan(0);
    const shown = audited.edges.flatMap((e) => [e.cursor, e.node.id]);
    for (const token of shown) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
      // Sixteen sealed bytes: no text of the row id in them. A short id's digits may turn up in any sixteen
      // random bytes, so what is checked is the id as a cursor would spell it.
      const decoded = Buffer.from(token, 'base64url').toString('latin1');
      for (const { id } of rows) expect(decoded).not.toMatch(new RegExp(`(log|row|id)[:#]?${id}\\b`));
    }
    // One entry, one id, in the disclosure view and the auditor's alike, and as its cursor.
    const auditedIds = new Set(audited.edges.map((e) => e.node.id));
    for (const edge of disclosed.edges) {
      expect(auditedIds.has(edge.node.id)).toBe(true);
      expect(edge.cursor).toBe(edge.node.id);
    }
    // A cursor built as the log's sequence was is no cursor of this log.
    const built = Buffer.from(`log:${rows[0]!.id}`).toString('base64url');
    expect((await run(welfare, ACCESS_LOG, { personId: person, after: built })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
    });
    // An empty cursor is no cursor either, not the first page.
    expect((await run(welfare, ACCESS_LOG, { personId: person, after: '' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURSOR',
    });
    // Nor is a cursor of another person's log: it would cut her log short without a word.
    const other = await resident();
    await appendAudit(db.sql, [entry(other)]);
    const foreign = (await readLog(welfare, other)).edges[0]!.cursor;
    expect(
      (await run(welfare, ACCESS_LOG, { personId: person, after: foreign })).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    // Another gateway replica on the same database reads the same ids and takes the same cursors.
    const replica = await startGatewayReplica(hub);
    try {
      const token = await hub.token(kokoro, { roles: ['auditor'] });
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: ACCESS_LOG,
          variables: { personId: person, first: 2, after: audited.edges[0]!.cursor },
        }),
      });
      const body = (await response.json()) as { data: { accessLog: { edges: { node: { id: string } }[] } } };
      expect(body.data.accessLog.edges.map((e) => e.node.id)).toEqual(audited.edges.slice(1, 3).map((e) => e.node.id));
    } finally {
      await replica.close();
    }
  });
});

describe('a cursor of an entry the disclosure view withholds', () => {
  it('is no cursor of that view, refused as one of another log: whether it is taken would tell the entry names her', async () => {
    const person = await resident();
    await appendAudit(db.sql, [
      entry(person, { agencyId: welfare }),
      entry(person, { agencyId: childGuidance, categories: ['CHILD_WELFARE'] }),
      entry(person, { agencyId: welfare }),
    ]);
    await run(childGuidance, PROTECT, { p: person, until: new Date(Date.now() + 86_400_000).toISOString() });
    const audited = await readLog(kokoro, person, ['auditor'], 200);
    const withheld = audited.edges.find((e) => e.node.agency.id === childGuidance)!.cursor;
    const refused = await run(welfare, ACCESS_LOG, { personId: person, after: withheld });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    // The auditor pages on from it; the disclosure view from the entries it shows.
    expect(agenciesOf(await readLog(kokoro, person, ['auditor'], 200, withheld))).toEqual([welfare]);
    const shown = (await readLog(welfare, person)).edges;
    expect(shown.map((e) => e.node.agency.id)).toEqual([welfare, welfare]);
    expect(agenciesOf(await readLog(welfare, person, [], 200, shown[0]!.cursor))).toEqual([welfare]);
  });
});

const VERIFY = /* GraphQL */ `
  {
    verifyAccessLog {
      intact
      entries
      firstBrokenId
    }
  }
`;

describe('a period of the log (a disclosure request for one)', () => {
  const PERIOD_LOG = /* GraphQL */ `
    query ($personId: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
      accessLog(personId: $personId, from: $from, to: $to, first: $first, after: $after) {
        edges {
          cursor
          node {
            at
            purpose
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  type PeriodPage = {
    accessLog: {
      edges: { cursor: string; node: { at: string; purpose: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it('lists the entries from `from` (included) to `to` (not), paged within it; a cursor of another period is refused', async () => {
    const person = await resident();
    const day = (d: number) => new Date(Date.UTC(2025, 3, d, 3));
    await appendAudit(
      db.sql,
      [1, 10, 11, 20].map((d) => entry(person, { at: day(d), purpose: `4月${d}日` })),
    );
    const period = { personId: person, from: day(10).toISOString(), to: day(20).toISOString() };
    const read = async (variables: Record<string, unknown>, roles: Role[] = []) => {
      const result = await run<PeriodPage>(welfare, PERIOD_LOG, variables, roles);
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!.accessLog;
    };
    expect((await read(period)).edges.map((e) => e.node.purpose)).toEqual(['4月11日', '4月10日']);
    expect((await read({ personId: person, to: day(10).toISOString() })).edges.map((e) => e.node.purpose)).toEqual([
      '4月1日',
    ]);
    expect((await read({ personId: person, from: day(11).toISOString() })).edges.map((e) => e.node.purpose)).toEqual([
      '4月20日',
      '4月11日',
    ]);

    const first = await read({ ...period, first: 1 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await read({ ...period, first: 1, after: first.pageInfo.endCursor });
    expect(rest.edges.map((e) => e.node.purpose)).toEqual(['4月10日']);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    // The cursor of 4月11日 is no cursor of a period without it: it would page from where this one stood.
    const elsewhere = await run(welfare, PERIOD_LOG, {
      personId: person,
      from: day(15).toISOString(),
      after: first.pageInfo.endCursor,
    });
    expect(elsewhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    // A period that holds no instant is refused, as the auditor's search refuses it.
    const backwards = await run(welfare, PERIOD_LOG, { ...period, from: period.to, to: period.from });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'to',
      reason: 'INVALID_PERIOD',
    });
    expect(backwards.data).toBeNull();
  });
});

describe("the auditor's search", () => {
  const SEARCH = /* GraphQL */ `
    query ($agencyId: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
      accessLogSearch(agencyId: $agencyId, from: $from, to: $to, first: $first, after: $after) {
        edges {
          node {
            id
            at
            personId
            agency {
              id
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `;
  type Found = {
    accessLogSearch: {
      edges: { node: { id: string; at: string; personId: string; agency: { id: string } } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };

  it('finds the entries of one agency in a period, across persons, newest first, for auditors only', async () => {
    const [one, two] = [await resident(), await resident()];
    const day = (d: number) => new Date(Date.UTC(2024, 0, d, 3));
    await appendAudit(db.sql, [
      entry(one, { agencyId: helloWork, at: day(10) }),
      entry(two, { agencyId: helloWork, at: day(12) }),
      entry(two, { agencyId: kokoro, at: day(12) }),
      entry(one, { agencyId: helloWork, at: day(20) }),
    ]);
    const variables = { agencyId: helloWork, from: day(9).toISOString(), to: day(15).toISOString() };
    const found = await run<Found>(kokoro, SEARCH, variables, ['auditor']);
    expect(found.errors).toBeUndefined();
    const nodes = found.data!.accessLogSearch.edges.map((e) => e.node);
    expect(nodes.map((n) => [n.personId, n.agency.id, n.at])).toEqual([
      [two, helloWork, day(12).toISOString()],
      [one, helloWork, day(10).toISOString()],
    ]);

    const first = await run<Found>(kokoro, SEARCH, { ...variables, first: 1 }, ['auditor']);
    expect(first.data!.accessLogSearch.pageInfo.hasNextPage).toBe(true);
    const after = first.data!.accessLogSearch.pageInfo.endCursor;
    const rest = await run<Found>(kokoro, SEARCH, { ...variables, first: 1, after }, ['auditor']);
    expect(rest.data!.accessLogSearch.edges.map((e) => e.node.personId)).toEqual([one]);
    expect(rest.data!.accessLogSearch.pageInfo.hasNextPage).toBe(false);

    // Its cursor is no cursor of a search with other filters, which it would page from where this one stood.
    for (const other of [{ agencyId: kokoro }, { ...variables, from: day(13).toISOString() }]) {
      const refused = await run<Found>(kokoro, SEARCH, { ...other, after }, ['auditor']);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    }
    // Without filters it is one of the whole log's entries.
    expect((await run<Found>(kokoro, SEARCH, { first: 1, after }, ['auditor'])).errors).toBeUndefined();
  });

  it('shows a row naming several persons as one entry per person, each on their own consent, paged one by one', async () => {
    const persons = [await resident(), await resident(), await resident()];
    const [at, requestId] = [new Date(Date.UTC(2024, 1, 3, 3)), randomUUID()];
    await appendAudit(
      db.sql,
      persons.map((person, i) =>
        entry(person, { agencyId: helloWork, at, requestId, basis: 'CONSENT', consentId: `c-${i}` }),
      ),
    );
    const [row] = await db.sql<{ n: number }[]>`
      select cardinality(person_ids) as n from hub.audit_log where person_ids @> array[${persons[0]!}::text]`;
    expect(row!.n).toBe(3);

    const variables = { agencyId: helloWork, from: at.toISOString(), to: new Date(at.getTime() + 1).toISOString() };
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page += 1) {
      const found: { data?: Found | null } = await run<Found>(kokoro, SEARCH, { ...variables, first: 1, after }, [
        'auditor',
      ]);
      const connection = found.data!.accessLogSearch;
      seen.push(...connection.edges.map((e) => e.node.personId));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...persons].reverse());

    for (const [i, person] of persons.entries()) {
      const log = await readLog(kokoro, person, ['auditor']);
      expect(log.edges.map((e) => [e.node.agency.id, e.node.basis, e.node.consentId])).toEqual([
        [helloWork, 'CONSENT', `c-${i}`],
      ]);
    }
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
  });

  it('refuses an agency id the register never held (UNKNOWN_AGENCY), rather than finding nothing for it', async () => {
    const typo = await run<Found>(kokoro, SEARCH, { agencyId: `${helloWork}-typo` }, ['auditor']);
    expect(typo.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_AGENCY',
      argument: 'agencyId',
    });
    expect(typo.data).toBeNull();
  });

  it('refuses any other agency, a period that ends before it starts and a page over 200', async () => {
    const refused = await run<Found>(welfare, SEARCH, { agencyId: helloWork });
    expect(codeOf(refused.errors)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.extensions?.['reason']).toBe('NOT_AN_AUDITOR');
    expect(refused.data).toBeNull();
    const backwards = { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' };
    expect(codeOf((await run(kokoro, SEARCH, backwards, ['auditor'])).errors)).toBe('BAD_USER_INPUT');
    expect(codeOf((await run(kokoro, SEARCH, { first: 201 }, ['auditor'])).errors)).toBe('BAD_USER_INPUT');
  });
});

/** What verifyAuditChain answers of an intact chain of `entries` decisions. */
const intactChainOf = (entries: number) => ({
  intact: true,
  entries,
  firstBrokenId: null,
  brokenIds: [],
  brokenEntries: 0,
});

describe('the hash chain', () => {
  it('stays linear under 20 concurrent appends', async () => {
    const person = randomUUID();
    await openEveryConnection(db);
    const before = await verifyAuditChain(db.sql);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(db.sql, [entry(person, { purpose: `並行 ${i}` }), entry(person, { purpose: `並行 ${i}b` })]),
      ),
    );
    expect(await verifyAuditChain(db.sql)).toEqual(intactChainOf(before.entries + 40));
  });

  it('commits concurrent appends of the group-commit writer in fewer transactions, chain intact', async () => {
    const person = randomUUID();
    let commits = 0;
    const writer = createAuditWriter(db.sql, { onCommit: () => (commits += 1) });
    const before = await verifyAuditChain(db.sql);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writer.append(recordsOf([entry(person, { purpose: `一括 ${i}` }), entry(person, { purpose: `一括 ${i}b` })])),
      ),
    );
    expect(commits).toBeLessThan(20);
    expect(await verifyAuditChain(db.sql)).toEqual(intactChainOf(before.entries + 40));
    const [stored] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from hub.audit_log where person_ids @> array[${person}::text]`;
    expect(stored!.count).toBe(40);
  });

  it('two writers (two gateway replicas) extend one chain: the one whose tip is stale re-reads it and retries', async () => {
    const person = randomUUID();
    const replicaA = createAuditWriter(db.sql);
    const replicaB = createAuditWriter(db.sql);
    const before = await verifyAuditChain(db.sql);
    // Each learns the tip, then they take turns: every append of one leaves the other's tip stale.
    for (let i = 0; i < 5; i += 1) {
      await replicaA.append(recordsOf([entry(person, { purpose: `A ${i}` })]));
      await replicaB.append(recordsOf([entry(person, { purpose: `B ${i}` })]));
    }
    await Promise.all([
      replicaA.append(recordsOf([entry(person, { purpose: 'A 並行' })])),
      replicaB.append(recordsOf([entry(person, { purpose: 'B 並行' })])),
    ]);
    expect(await verifyAuditChain(db.sql)).toEqual(intactChainOf(before.entries + 12));
    const [forks] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from (select prev_hash from hub.audit_log group by 1 having count(*) > 1) f`;
    expect(forks!.count).toBe(0);
  });

  it('fails only the caller whose entry the log refuses, when callers share a transaction', async () => {
    const person = await resident();
    const writer = createAuditWriter(db.sql);
    const bad = { ...entry(person), allowed: true, basis: null } as AuditEntry;
    const outcomes = await Promise.allSettled([
      writer.append(recordsOf([entry(person)])),
      writer.append(recordsOf([entry(person), bad])),
      writer.append(recordsOf([entry(person)])),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await readLog(welfare, person)).edges).toHaveLength(2);
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the log', async () => {
    const person = await resident();
    await appendAudit(db.sql, [entry(person)]);
    await expect(
      db.sql`update hub.audit_log set allowed = false where person_ids @> array[${person}::text]`,
    ).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from hub.audit_log where person_ids @> array[${person}::text]`).rejects.toThrow(
      /append-only/,
    );
    await expect(db.sql`truncate hub.audit_log`).rejects.toThrow(/append-only/);
    expect((await readLog(welfare, person)).edges).toHaveLength(1);
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
  });

  it('refuses an entry whose id its writer picks (overriding system value), so the chain stays appendable', async () => {
    const person = await resident();
    await appendAudit(db.sql, [entry(person)]);
    const tip = await readChainTip(db.sql);
    const forged = entry(person, { agencyId: helloWork });
    // Below where verification started reading, below what a cursor seals, and far above every real id.
    for (const id of ['0', '-1', '9000000000000000000']) {
      await expect(
        db.sql`
          insert into hub.audit_log (id, at, agency_id, staff_id, person_id, categories, allowed, basis, operation_name,
                                     request_id, purpose, prev_hash, hash)
          overriding system value
          values (${id}::bigint, ${forged.at}, ${forged.agencyId}, ${forged.staffId}, ${person}, ${forged.categories},
                  true, 'OWN_DOMAIN', ${forged.operationName}, ${forged.requestId}, ${forged.purpose}, ${tip},
                  ${chainHash(tip, forged)})`,
      ).rejects.toThrow(/identity/);
    }
    await appendAudit(db.sql, [entry(person, { agencyId: kokoro })]);
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
    expect((await readLog(welfare, person)).edges).toHaveLength(2);
  });

  it('fails the append as a whole, so a caller can fail closed', async () => {
    const person = await resident();
    const bad = { ...entry(person), allowed: true, basis: null } as AuditEntry;
    await expect(appendAudit(db.sql, [entry(person), bad])).rejects.toThrow();
    expect((await readLog(welfare, person)).edges).toHaveLength(0);
  });

  it('keeps rows written one per person before rows named several: they verify and show as they were', async () => {
    const person = await resident();
    const legacy = entry(person, { agencyId: helloWork, basis: 'CONSENT', consentId: 'c-legacy' });
    await appendAudit(db.sql, [entry(person)]);
    const tip = await readChainTip(db.sql);
    await db.sql`
      insert into hub.audit_log (at, agency_id, staff_id, person_id, categories, allowed, basis, reason, consent_id,
                                 meeting_id, emergency_id, operation_name, request_id, purpose, prev_hash, hash)
      values (${legacy.at}, ${legacy.agencyId}, ${legacy.staffId}, ${person}, ${legacy.categories}, true, 'CONSENT',
              null, 'c-legacy', null, null, ${legacy.operationName}, ${legacy.requestId}, ${legacy.purpose},
              ${tip}, ${chainHash(tip, legacy)})`;
    await appendAudit(db.sql, [entry(person, { agencyId: kokoro })]);
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
    const log = await readLog(welfare, person);
    expect(log.edges.map((e) => [e.node.agency.id, e.node.consentId])).toEqual([
      [kokoro, null],
      [helloWork, 'c-legacy'],
      [welfare, null],
    ]);
  });

  it('tells a denial on a child council of a row written before rows named several as it tells a newer one: NO_LEGAL_BASIS naming no meeting, to its members too', async () => {
    const child = await registerChild(hub);
    const council = await convene(hub, collaborator, {
      kind: 'CHILD_COUNCIL',
      subjectPersonIds: [child],
      sharedCategories: ['WELFARE_CASE'],
    });
    const legacy = entry(child, {
      agencyId: collaborator,
      categories: ['EMPLOYMENT'],
      allowed: false,
      basis: null,
      reason: 'CATEGORY_NOT_SHARED',
      meetingId: council,
      purpose: '旧形式の記録',
    });
    const tip = await readChainTip(db.sql);
    await db.sql`
      insert into hub.audit_log (at, agency_id, staff_id, person_id, categories, allowed, basis, reason, consent_id,
                                 meeting_id, emergency_id, operation_name, request_id, purpose, prev_hash, hash)
      values (${legacy.at}, ${legacy.agencyId}, ${legacy.staffId}, ${child}, ${legacy.categories}, false, null,
              'CATEGORY_NOT_SHARED', null, ${council}, null, ${legacy.operationName}, ${legacy.requestId},
              ${legacy.purpose}, ${tip}, ${chainHash(tip, legacy)})`;
    expect((await verifyAuditChain(db.sql)).intact).toBe(true);
    const shown = async (reader: string, roles: Role[] = []) =>
      (await readLog(reader, child, roles, 200)).edges
        .filter((e) => e.node.purpose === '旧形式の記録')
        .map((e) => ({ reason: e.node.reason, meetingId: e.node.meetingId }));
    expect(await shown(collaborator)).toEqual([{ reason: 'NO_LEGAL_BASIS', meetingId: null }]);
    expect(await shown(welfare)).toEqual([{ reason: 'NO_LEGAL_BASIS', meetingId: null }]);
    expect(await shown(welfare, ['auditor'])).toEqual([{ reason: 'CATEGORY_NOT_SHARED', meetingId: council }]);
  });

  it('verifyAccessLog is for auditors only and reports an intact chain', async () => {
    const refused = await run(welfare, VERIFY);
    expect(codeOf(refused.errors)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.extensions?.['reason']).toBe('NOT_AN_AUDITOR');
    const result = await run<{ verifyAccessLog: Record<string, unknown> }>(kokoro, VERIFY, {}, ['auditor']);
    expect(result.errors).toBeUndefined();
    const [stored] = await db.sql<{ count: number }[]>`select sum(decisions)::int as count from hub.audit_log`;
    expect(result.data!.verifyAccessLog).toEqual({ intact: true, entries: stored!.count, firstBrokenId: null });
  });

  it('reports the first entry changed behind its back (trigger disabled by a superuser)', async () => {
    const person = randomUUID();
    await appendAudit(db.sql, [entry(person), entry(person, { agencyId: helloWork }), entry(person)]);
    const [target] = await db.sql<{ id: string }[]>`
      select id::text as id from hub.audit_log where person_ids @> array[${person}::text] and agency_id = ${helloWork}`;
    await db.sql.begin(async (tx) => {
      await tx`alter table hub.audit_log disable trigger audit_log_no_update_or_delete`;
      await tx`update hub.audit_log set allowed = false, basis = null, reason = 'NO_LEGAL_BASIS' where id = ${target!.id}::bigint`;
      await tx`alter table hub.audit_log enable trigger audit_log_no_update_or_delete`;
    });
    const result = await run<{ verifyAccessLog: Record<string, unknown> }>(kokoro, VERIFY, {}, ['auditor']);
    expect(result.data!.verifyAccessLog).toMatchObject({ intact: false, firstBrokenId: target!.id });
  });

  it('reads every row, one slipped in below the first id too (its trigger disabled by a superuser)', async () => {
    const person = randomUUID();
    const forged = entry(person, { agencyId: helloWork });
    await db.sql.begin(async (tx) => {
      await tx`alter table hub.audit_log disable trigger audit_log_id_is_its_own`;
      await tx`
        insert into hub.audit_log (id, at, agency_id, staff_id, person_id, categories, allowed, basis, operation_name,
                                   request_id, purpose, prev_hash, hash)
        overriding system value
        values (0, ${forged.at}, ${forged.agencyId}, ${forged.staffId}, ${person}, ${forged.categories}, true,
                'OWN_DOMAIN', ${forged.operationName}, ${forged.requestId}, ${forged.purpose}, 'forged', 'forged')`;
      await tx`alter table hub.audit_log enable trigger audit_log_id_is_its_own`;
    });
    const result = await run<{ verifyAccessLog: Record<string, unknown> }>(kokoro, VERIFY, {}, ['auditor']);
    expect(result.data!.verifyAccessLog).toMatchObject({ intact: false, firstBrokenId: '0' });
  });
});
