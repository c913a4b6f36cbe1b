// The child-welfare and DV system's own cases, carried to their end: the agency holding a case records where
// it stands and closes it (終結), through the gateway like every mutation. Closing the last open case ends
// the protection the disclosure view gives her without anyone setting it (CONTRACT.md v2): what is read of
// her afterwards is shown, what was read while a case was open stays withheld; a manual protection still
// holds. Only the case's holder acts on it, for a person it serves.

import { describe, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { appendAudit } from '@hub/gateway/audit';
import { auditEntry } from './support/bases.js';
import { openDvCase } from './support/dv.js';
import { queryAs, useConnection, useTestHub } from './support/hub.js';
import { mutate, refusal, registerChild, registerOlderResident, registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-child-dv-cases');

const welfare = AGENCIES.minaminoWelfare.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const childGuidance = AGENCIES.midoriChildGuidance.id;
const childSupport = AGENCIES.minaminoChildSupport.id;
const otherTownDv = AGENCIES.higashiyamaDv.id;
const kokoro = AGENCIES.minaminoKokoro.id;

const UPDATE_DV = /* GraphQL */ `
  mutation ($input: UpdateDvCaseInput!) {
    updateDvCase(input: $input) {
      id
      status
      protectionOrder
      summary
    }
  }
`;

const UPDATE_CHILD = /* GraphQL */ `
  mutation ($input: UpdateChildWelfareCaseInput!) {
    updateChildWelfareCase(input: $input) {
      id
      status
      registeredWithCouncil
      summary
    }
  }
`;

const OPEN_CHILD = /* GraphQL */ `
  mutation ($personId: ID!) {
    openChildWelfareCase(input: { personId: $personId, classification: REQUIRES_SUPPORT, summary: "見守り開始" }) {
      id
    }
  }
`;

const DISCLOSURE = /* GraphQL */ `
  query ($personId: ID!) {
    accessLog(personId: $personId, first: 200) {
      edges {
        node {
          agency {
            id
          }
          categories
          allowed
          basis
          purpose
        }
      }
    }
  }
`;

interface LogEdges {
  accessLog: {
    edges: {
      node: {
        agency: { id: string };
        categories: string[];
        allowed: boolean;
        basis: string | null;
        purpose: string | null;
      };
    }[];
  };
}

/** The entries of the person's disclosure view (as the welfare office of her municipality reads it). */
async function disclosed(personId: string): Promise<LogEdges['accessLog']['edges'][number]['node'][]> {
  const result = await queryAs<LogEdges>(hub, welfare, DISCLOSURE, { personId });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.accessLog.edges.map((e) => e.node);
}

/** The agencies the person's disclosure view names. */
const disclosedAgencies = async (personId: string) => (await disclosed(personId)).map((e) => e.agency.id);

/** The stated purposes of the disclosure view's entries of one agency: which of its accesses it shows. */
const disclosedPurposes = async (personId: string, agencyId: string) =>
  (await disclosed(personId)).filter((e) => e.agency.id === agencyId).map((e) => e.purpose);

/**
 * An access of a CHILD_DV agency to the person, as the log holds it: withheld while a protection is active,
 * and for good if made while one was.
 */
async function logAccessBy(agencyId: string, personId: string, purpose: string | null = null): Promise<void> {
  await appendAudit(db.sql, [auditEntry(personId, { agencyId, categories: ['DV'], purpose })]);
}

describe('a DV case carried to its end (DV事案の終結)', () => {
  it('its holder records where it stands and closes it; the automatic protection then ends for what is read afterwards, and what was read while it was open stays withheld', async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    await logAccessBy(dvCentre, person, '事案の間');
    expect(await disclosedAgencies(person)).not.toContain(dvCentre);

    const moved = await mutate<{ status: string; protectionOrder: boolean; summary: string }>(
      hub,
      dvCentre,
      UPDATE_DV,
      {
        input: { personId: person, status: 'INDEPENDENCE_SUPPORT', protectionOrder: true, summary: '自立に向けた支援' },
      },
    );
    expect(moved).toMatchObject({ status: 'INDEPENDENCE_SUPPORT', protectionOrder: true, summary: '自立に向けた支援' });
    expect(await disclosedAgencies(person)).not.toContain(dvCentre);

    // Fields not given stay as they were.
    const closed = await mutate<{ status: string; protectionOrder: boolean; summary: string }>(
      hub,
      dvCentre,
      UPDATE_DV,
      {
        input: { personId: person, status: 'CLOSED' },
      },
    );
    expect(closed).toMatchObject({ status: 'CLOSED', protectionOrder: true, summary: '自立に向けた支援' });
    // Its holder's reads while it was open (the one logged, the updates) stay withheld; those after it closed
    // are shown: the closing's answer (no purpose stated), read once it was closed, and a read after.
    await logAccessBy(dvCentre, person, '終結の後');
    expect(await disclosedPurposes(person, dvCentre)).toEqual(['終結の後', null]);

    // A closed case is no longer open: nothing to update, and a new case may be opened.
    expect(
      refusal(await queryAs(hub, dvCentre, UPDATE_DV, { input: { personId: person, status: 'CONSULTING' } })),
    ).toEqual({
      code: 'NOT_FOUND',
      reason: undefined,
      argument: 'personId',
    });
  });

  it('a manual protection still holds after the case is closed', async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    await logAccessBy(dvCentre, person);
    await mutate(
      hub,
      dvCentre,
      `mutation ($p: ID!, $until: DateTime!) { setDisclosureProtection(personId: $p, until: $until) { until } }`,
      { p: person, until: new Date(Date.now() + 86_400_000).toISOString() },
    );
    await mutate(hub, dvCentre, UPDATE_DV, { input: { personId: person, status: 'CLOSED' } });
    expect(await disclosedAgencies(person)).not.toContain(dvCentre);
  });

  it('the update is decided and logged as any answer holding her DV data', async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    await mutate(hub, dvCentre, UPDATE_DV, { input: { personId: person, status: 'TEMPORARY_PROTECTION' } });
    const log = await queryAs<LogEdges>(hub, kokoro, DISCLOSURE, { personId: person }, ['auditor']);
    const entries = log.data!.accessLog.edges.map((e) => e.node);
    expect(entries).toContainEqual(
      expect.objectContaining({ agency: { id: dvCentre }, categories: ['DV'], allowed: true, basis: 'OWN_DOMAIN' }),
    );
  });

  it("only the case's holder, for a person it serves: another agency's case is NOT_FOUND (a welfare office's too), another town OUTSIDE_JURISDICTION, another domain NOT_OWN_DOMAIN", async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    const asked = { input: { personId: person, status: 'CLOSED' } };
    expect(refusal(await queryAs(hub, childGuidance, UPDATE_DV, asked))).toEqual({
      code: 'NOT_FOUND',
      reason: undefined,
      argument: 'personId',
    });
    expect(refusal(await queryAs(hub, otherTownDv, UPDATE_DV, asked))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'OUTSIDE_JURISDICTION',
    });
    // A welfare office holds a DV case a transfer gave it (dv-transfer.e2e.test.ts); this one it does not.
    expect(refusal(await queryAs(hub, welfare, UPDATE_DV, asked))).toEqual({
      code: 'NOT_FOUND',
      reason: undefined,
      argument: 'personId',
    });
    expect(refusal(await queryAs(hub, kokoro, UPDATE_DV, asked))).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_OWN_DOMAIN',
    });
    // None of them changed it.
    const [row] = await db.sql<{ status: string }[]>`select status from child_dv.dv_case where person_id = ${person}`;
    expect(row!.status).toBe('CONSULTING');
  });
});

describe('a child-welfare case carried to its end (児童福祉の事例の終結)', () => {
  it('its holder updates and closes it; closed, it stays closed, and the automatic protection ends for what is read afterwards', async () => {
    const child = await registerChild(hub);
    const opened = await mutate<{ id: string }>(hub, childSupport, OPEN_CHILD, { personId: child });
    await logAccessBy(childSupport, child, '事例の間');
    expect(await disclosedAgencies(child)).not.toContain(childSupport);

    const registered = await mutate(hub, childSupport, UPDATE_CHILD, {
      input: { personId: child, caseId: opened.id, status: 'MONITORING', registeredWithCouncil: true },
    });
    expect(registered).toMatchObject({ status: 'MONITORING', registeredWithCouncil: true, summary: '見守り開始' });

    await mutate(hub, childSupport, UPDATE_CHILD, { input: { personId: child, caseId: opened.id, status: 'CLOSED' } });
    await logAccessBy(childSupport, child, '終結の後');
    expect(await disclosedPurposes(child, childSupport)).toEqual(['終結の後', null]);

    expect(
      refusal(
        await queryAs(hub, childSupport, UPDATE_CHILD, {
          input: { personId: child, caseId: opened.id, status: 'OPEN' },
        }),
      ),
    ).toEqual({ code: 'BAD_USER_INPUT', reason: 'CASE_CLOSED', argument: 'caseId' });
  });

  it("another agency's case, or a case of another person, is NOT_FOUND and unchanged", async () => {
    const child = await registerChild(hub);
    const sibling = await registerChild(hub);
    const opened = await mutate<{ id: string }>(hub, childSupport, OPEN_CHILD, { personId: child });
    expect(
      refusal(
        await queryAs(hub, childGuidance, UPDATE_CHILD, {
          input: { personId: child, caseId: opened.id, status: 'CLOSED' },
        }),
      ),
    ).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'caseId' });
    expect(
      refusal(
        await queryAs(hub, childSupport, UPDATE_CHILD, {
          input: { personId: sibling, caseId: opened.id, status: 'CLOSED' },
        }),
      ),
    ).toEqual({ code: 'NOT_FOUND', reason: undefined, argument: 'caseId' });
    const [row] = await db.sql<{ status: string }[]>`
      select status from child_dv.child_welfare_case where id = ${opened.id}`;
    expect(row!.status).toBe('OPEN');
  });
});

describe('when a protection was active, as the child-DV system records it (終結日時)', () => {
  it('a closed case says when it closed; her DV cases list the closed one and the one opened after it, oldest first', async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    await mutate(hub, dvCentre, UPDATE_DV, { input: { personId: person, status: 'CLOSED' } });
    await openDvCase(hub, dvCentre, person);
    const read = await queryAs<{
      person: { dvCase: { closedAt: string | null }; dvCases: { status: string; closedAt: string | null }[] };
    }>(hub, dvCentre, 'query ($id: ID!) { person(id: $id) { dvCase { closedAt } dvCases { status closedAt } } }', {
      id: person,
    });
    expect(read.errors).toBeUndefined();
    const [closed, open] = read.data!.person.dvCases;
    expect(read.data!.person.dvCases).toHaveLength(2);
    expect(closed).toEqual({ status: 'CLOSED', closedAt: expect.any(String) });
    expect(Date.now() - Date.parse(closed!.closedAt!)).toBeLessThan(60_000);
    expect(open).toEqual({ status: 'CONSULTING', closedAt: null });
    expect(read.data!.person.dvCase).toEqual({ closedAt: null });
  });

  it('a case closed by a release that does not know closedAt (a rolling upgrade) says when it closed all the same', async () => {
    const person = await registerResident(hub);
    await openDvCase(hub, dvCentre, person);
    const [row] = await db.sql<{ closedAt: Date | null }[]>`
      update child_dv.dv_case set status = 'CLOSED' where person_id = ${person} returning closed_at`;
    expect(row!.closedAt).toBeInstanceOf(Date);
    await expect(db.sql`update child_dv.dv_case set closed_at = null where person_id = ${person}`).rejects.toThrow(
      /dv_case_closed_at/,
    );
  });

  it('an urgent report protects her from its receipt until it is closed: what the receiving agency read meanwhile stays withheld', async () => {
    const child = await registerChild(hub);
    const filed = await mutate<{ receiptNumber: string }>(
      hub,
      kokoro,
      /* GraphQL */ `
        mutation ($input: RecordAbuseReportInput!) {
          recordAbuseReport(input: $input) {
            receiptNumber
          }
        }
      `,
      { input: { personId: child, kind: 'NEGLECT', urgency: 'PROMPT', receivingAgencyId: childSupport } },
    );
    await logAccessBy(childSupport, child, '通告の間');
    expect(await disclosedPurposes(child, childSupport)).toEqual([]);

    const queue = await queryAs<{ urgentReports: { id: string; receiptNumber: string }[] }>(
      hub,
      childSupport,
      '{ urgentReports { id receiptNumber } }',
    );
    const report = queue.data!.urgentReports.find((r) => r.receiptNumber === filed.receiptNumber)!;
    const closed = await mutate<{ status: string; closedAt: string | null }>(
      hub,
      childSupport,
      'mutation ($input: TriageAbuseReportInput!) { triageAbuseReport(input: $input) { status closedAt } }',
      { input: { reportId: report.id, status: 'CLOSED' } },
    );
    expect(closed).toEqual({ status: 'CLOSED', closedAt: expect.any(String) });
    await logAccessBy(childSupport, child, '通告の後');
    expect((await disclosedPurposes(child, childSupport)).filter(Boolean)).toEqual(['通告の後']);
  });
});

describe('one open DV case per person (DV事案は一人に一つ)', () => {
  it('agencies opening her DV case at the same instant open one; the others are DV_CASE_ALREADY_OPEN', async () => {
    for (let round = 0; round < 5; round += 1) {
      const person = await registerResident(hub);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          queryAs(
            hub,
            i % 2 ? childGuidance : dvCentre,
            'mutation ($p: ID!) { openDvCase(input: { personId: $p }) { id } }',
            { p: person },
          ),
        ),
      );
      const [open] = await db.sql<{ n: number }[]>`
        select count(*)::int as n from child_dv.dv_case where person_id = ${person} and status <> 'CLOSED'`;
      expect(open!.n).toBe(1);
      expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
      expect(answers.flatMap((answer) => answer.errors ?? []).map((error) => error.extensions?.['reason'])).toEqual(
        Array.from({ length: 7 }, () => 'DV_CASE_ALREADY_OPEN'),
      );
    }
  });
});

describe('a child-welfare case is of a child (児童福祉法 4条)', () => {
  const OPEN_AS = /* GraphQL */ `
    mutation ($personId: ID!, $classification: ChildClassification!) {
      openChildWelfareCase(input: { personId: $personId, classification: $classification }) {
        id
        classification
      }
    }
  `;
  const cases = async (personId: string) => {
    const result = await hub.query<{ person: { childWelfareCases: { classification: string }[] } }>(
      { agency: childSupport },
      'query ($id: ID!) { person(id: $id) { childWelfareCases { classification } } }',
      { id: personId },
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.person.childWelfareCases;
  };

  it('is refused for a person of 18 or over (NOT_A_CHILD), recording nothing; a specified expectant mother of any age is not', async () => {
    const adult = await registerResident(hub);
    for (const classification of ['REQUIRES_SUPPORT', 'REQUIRES_PROTECTION']) {
      const result = await hub.query({ agency: childSupport }, OPEN_AS, { personId: adult, classification });
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'NOT_A_CHILD', argument: 'personId' });
    }
    expect(await cases(adult)).toEqual([]);
    await mutate(hub, childSupport, OPEN_AS, { personId: adult, classification: 'SPECIFIED_EXPECTANT_MOTHER' });
    const child = await registerChild(hub);
    await mutate(hub, childSupport, OPEN_AS, { personId: child, classification: 'REQUIRES_SUPPORT' });
    expect(await cases(adult)).toEqual([{ classification: 'SPECIFIED_EXPECTANT_MOTHER' }]);
    expect(await cases(child)).toEqual([{ classification: 'REQUIRES_SUPPORT' }]);
  });

  it('a specified expectant mother is of 10 to 59 (NOT_OF_EXPECTANT_AGE), as a child council takes her', async () => {
    const older = await registerOlderResident(hub);
    const result = await hub.query({ agency: childSupport }, OPEN_AS, {
      personId: older,
      classification: 'SPECIFIED_EXPECTANT_MOTHER',
    });
    expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', reason: 'NOT_OF_EXPECTANT_AGE', argument: 'personId' });
    expect(await cases(older)).toEqual([]);
  });
});
