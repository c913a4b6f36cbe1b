// A mutation that names a record (an enrolment, a household, a DV case) rather than a person acts only
// where the caller serves the record's person (CONTRACT.md v2, jurisdiction): any other record is answered
// as an id that names none, and nothing changes. Cases are in case-lifecycle, urgent reports in urgent-reports.

import { beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, demoId, residentId } from '@hub/platform';
import { registerAgency, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { mutate, registerResident } from './support/welfare.js';
import { grantConsent } from './support/bases.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-record-jurisdiction');

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The one error of a refusal, as the caller sees it: code, reason, argument and message. */
function refusalOf(result: GraphQLResponse<unknown>) {
  expect(result.errors, 'the operation was expected to be refused').toHaveLength(1);
  const [error] = result.errors!;
  const extensions = error!.extensions ?? {};
  return {
    code: extensions['code'],
    reason: extensions['reason'],
    argument: extensions['argument'],
    message: error!.message,
  };
}

describe('an environment agency withdraws only enrolments of persons it serves', () => {
  const environment = AGENCIES.minaminoEnvironment.id;
  const otherTown = 'higashiyama-kankyo';
  const WITHDRAW = /* GraphQL */ `
    mutation ($id: ID!) {
      withdrawEnrollment(id: $id) {
        id
        status
      }
    }
  `;

  beforeAll(async () => {
    await registerAgency(hub, {
      id: otherTown,
      name: 'ひがし山町 環境課',
      domain: 'ENVIRONMENT',
      kind: '環境部局',
      municipalityCode: '990002',
      jurisdiction: ['990002'],
    });
  });

  it('another town’s environment agency is answered NOT_FOUND, as for an unknown enrolment, and the enrolment stays active', async () => {
    const personId = await registerResident(hub);
    const enrolment = await mutate<{ id: string }>(
      hub,
      environment,
      /* GraphQL */ `
        mutation ($input: EnrollInput!) {
          enroll(input: $input) {
            id
          }
        }
      `,
      { input: { personId, opportunityId: demoId('opportunity:vegetable-harvest') } },
    );
    const result = await hub.query({ agency: otherTown }, WITHDRAW, { id: enrolment.id });
    const missing = await hub.query({ agency: otherTown }, WITHDRAW, { id: UNKNOWN });
    expect(refusalOf(result)).toEqual(refusalOf(missing));
    expect(refusalOf(result)).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
    expect(result.data?.['withdrawEnrollment'] ?? null).toBeNull();

    const held = await hub.query<{ person: { enrollments: { id: string; status: string }[] } }>(
      { agency: environment },
      `query ($id: ID!) { person(id: $id) { enrollments { id status } } }`,
      { id: personId },
    );
    expect(held.errors).toBeUndefined();
    expect(held.data!.person.enrollments).toEqual([{ id: enrolment.id, status: 'ACTIVE' }]);
  });
});

describe('a welfare agency joins a new resident only to a household of the municipalities it serves', () => {
  const REGISTER = /* GraphQL */ `
    mutation ($input: RegisterPersonInput!) {
      registerPerson(input: $input) {
        id
        household {
          flags
          summary
        }
      }
    }
  `;
  const HOUSEHOLD = /* GraphQL */ `
    query ($id: ID!) {
      person(id: $id) {
        household {
          id
          members {
            id
          }
        }
      }
    }
  `;
  type Household = { person: { household: { id: string; members: { id: string }[] } } };
  const son = residentId('yamada-son');
  const register = (householdId: string) =>
    hub.query({ agency: AGENCIES.higashiyamaWelfare.id }, REGISTER, {
      input: {
        name: '試験 世帯',
        nameKana: 'シケン セタイ',
        birthDate: '1990-01-01',
        municipalityCode: '990002',
        householdId,
      },
    });

  it('a household of another municipality is answered NOT_FOUND, as for an unknown one, and no one joins it', async () => {
    const before = await hub.query<Household>({ agency: AGENCIES.minaminoWelfare.id }, HOUSEHOLD, { id: son });
    expect(before.errors).toBeUndefined();
    const household = before.data!.person.household;
    const result = await register(household.id);
    const missing = await register(UNKNOWN);
    expect(refusalOf(result)).toEqual(refusalOf(missing));
    expect(refusalOf(result)).toMatchObject({ code: 'NOT_FOUND', argument: 'householdId' });
    expect(result.data?.['registerPerson'] ?? null).toBeNull();

    const after = await hub.query<Household>({ agency: AGENCIES.minaminoWelfare.id }, HOUSEHOLD, { id: son });
    expect(after.data).toEqual(before.data);
  });
});

describe('a DV agency records whereabouts only into a case of a person it serves', () => {
  const RECORD = /* GraphQL */ `
    mutation ($input: RecordWhereaboutsInput!) {
      recordWhereabouts(input: $input) {
        municipalityCode
      }
    }
  `;
  const record = (dvCaseId: string) =>
    hub.query({ agency: AGENCIES.higashiyamaDv.id }, RECORD, {
      input: { dvCaseId, municipalityCode: '990002', address: 'ひがし山町 本町2-2', since: '2026-11-01' },
    });

  // The gateway lets no agency open or receive a case outside its jurisdiction, so the state is written here:
  // a case ひがし山町's window holds about a resident of みなみ野市 (as after a change of who serves whom).
  it('a case counted in a municipality its holder does not serve is answered NOT_FOUND, and nothing is recorded', async () => {
    const personId = await registerResident(hub, AGENCIES.minaminoWelfare.id, '990001');
    const [dvCase] = await db.sql<{ id: string }[]>`
      insert into child_dv.dv_case (person_id, agency_id, municipality_code)
      values (${personId}, ${AGENCIES.higashiyamaDv.id}, '990001')
      returning id`;
    const result = await record(dvCase!.id);
    const missing = await record(UNKNOWN);
    expect(refusalOf(result)).toEqual(refusalOf(missing));
    expect(refusalOf(result)).toMatchObject({ code: 'NOT_FOUND', argument: 'dvCaseId' });

    const held = await hub.query<{ person: { dvCase: { id: string; whereabouts: unknown } } }>(
      { agency: AGENCIES.midoriDvCentre.id },
      `query ($id: ID!) { person(id: $id) { dvCase { id whereabouts { address } } } }`,
      { id: personId },
    );
    expect(held.errors).toBeUndefined();
    expect(held.data!.person.dvCase).toEqual({ id: dvCase!.id, whereabouts: null });
  });
});

describe('what a mutation returns about a person is decided like any read', () => {
  const collaborator = AGENCIES.minaminoCollaborator.id;

  it('a record the subgraph still counts where she was: the person it returns is withheld, and the denial logged', async () => {
    const personId = await registerResident(hub, AGENCIES.minaminoWelfare.id);
    const opened = await mutate<{ id: string }>(
      hub,
      collaborator,
      `mutation ($p: ID!) { openCase(input: { personId: $p, issues: [LIVING] }) { id } }`,
      { p: personId },
    );
    // She moves out of みなみ野市 in the hub's register, as a DV transfer moves a victim; the welfare system
    // still counts her old case in みなみ野市.
    await db.sql`update hub.resident set municipality_code = '990002', moved_at = now() where person_id = ${personId}`;
    const result = await hub.query<{ advanceCase: { status: string; person: { name: string } } | null }>(
      { agency: collaborator },
      `mutation ($id: ID!) { advanceCase(input: { caseId: $id, to: ASSESSMENT }) { status person { name } } }`,
      { id: opened.id },
    );
    expect(result.data?.advanceCase ?? null).toBeNull();
    const denied = (result.errors ?? []).map((e) => [e.extensions?.['code'], e.extensions?.['personId']]);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every(([code, id]) => code === 'FORBIDDEN' && id === personId)).toBe(true);
    expect(JSON.stringify(result)).not.toContain('試験');
    const [logged] = await db.sql<{ allowed: boolean; agencyId: string }[]>`
      select allowed, agency_id from hub.audit_log
      where ${personId} = any(person_ids) and agency_id = ${collaborator} and operation_name is null and not allowed
      order by id desc limit 1`;
    expect(logged).toMatchObject({ allowed: false, agencyId: collaborator });
  });
});

describe('a basis to read is no standing to record: own-domain mutations stay within the jurisdiction', () => {
  const otherTown = 'higashiyama-kankyo';
  const ENROL = /* GraphQL */ `
    mutation ($input: EnrollInput!) {
      enroll(input: $input) {
        id
      }
    }
  `;

  it('another town’s environment agency holding a consent for the person is refused OUTSIDE_JURISDICTION, and nothing is enrolled', async () => {
    const personId = await registerResident(hub);
    // Recorded by the person's welfare office and confirmed by the category's holder: a basis to read.
    await grantConsent(hub, AGENCIES.minaminoWelfare.id, {
      personId,
      recipientAgencyIds: [otherTown],
      categories: ['ENVIRONMENT_PARTICIPATION'],
    });
    const explained = await hub.query<{ explainAccess: { allowed: boolean } }>(
      { agency: otherTown },
      `query ($p: ID!) { explainAccess(personId: $p, category: ENVIRONMENT_PARTICIPATION, agencyId: "${otherTown}") { allowed } }`,
      { p: personId },
    );
    expect(explained.data?.explainAccess.allowed).toBe(true);
    const result = await hub.query({ agency: otherTown }, ENROL, {
      input: { personId, opportunityId: demoId('opportunity:vegetable-harvest') },
    });
    expect(refusalOf(result)).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_JURISDICTION' });
    const [row] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from environment.enrollment where person_id = ${personId}`;
    expect(row?.count).toBe(0);
  });
});
