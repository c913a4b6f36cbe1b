// Dates sent through the gateway: a Date or DateTime input that is not a real calendar date (or time) in
// the ISO 8601 form is refused as BAD_USER_INPUT, naming the argument, and nothing is recorded anywhere.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId } from '@hub/platform';
import { queryAs, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'date-input-test');

const welfare = AGENCIES.minaminoWelfare.id;
const silver = AGENCIES.minaminoSilver.id;
const helloWork = AGENCIES.helloWorkMinamino.id;

// The year 0000 too: the database has no such year, and refused it as an internal error.
const NOT_A_DATE = ['abc', '1980-13-45', '19800101', '1980-01-01T00:00:00Z', '1980-02-30', '1981-02-29', '0000-06-15'];
const NOT_A_DATE_TIME = [
  'abc',
  '2026-02-30T00:00:00Z',
  '2026-05-10',
  '2026-05-10T09:00:00',
  '2026-05-10T24:30:00Z',
  '2026-05-10T09:00:00+25:00',
  '0000-01-01T09:00:00Z',
  // The year 0001 in Japan, the year 0000 in UTC: it reached the database, which refused it as an internal error.
  '0001-01-01T00:00:00+09:00',
  // The year 10000 in UTC, which the database refused as an internal error too.
  '9999-12-31T20:00:00-05:00',
];

type Errors = GraphQLResponse['errors'];

/** The one error of a refused request, as the client reads it. */
function refusal(errors: Errors) {
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  return errors![0]!;
}

/** The refusal is BAD_USER_INPUT and echoes nothing of the input (a birth date is personal data). */
function expectRefusedInput(errors: Errors, value: string) {
  const error = refusal(errors);
  expect(error.extensions?.['code']).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(error)).not.toContain(value);
  return error;
}

const REGISTER_LITERAL = (name: string, birthDate: string) => /* GraphQL */ `
  mutation {
    registerPerson(
      input: { name: "${name}", nameKana: "ヒヅケ", birthDate: "${birthDate}", municipalityCode: "990001" }
    ) {
      id
    }
  }
`;

const REGISTER = /* GraphQL */ `
  mutation ($name: String!, $birthDate: Date!) {
    registerPerson(input: { name: $name, nameKana: "ヒヅケ", birthDate: $birthDate, municipalityCode: "990001" }) {
      id
    }
  }
`;

async function registeredNamed(name: string): Promise<number> {
  const [row] = await db.sql<
    { count: number }[]
  >`select count(*)::int as count from welfare.person where name = ${name}`;
  return row!.count;
}

async function resident(): Promise<string> {
  const result = await queryAs<{ registerPerson: { id: string } }>(hub, welfare, REGISTER, {
    name: `日付 ${randomUUID()}`,
    birthDate: '1950-01-01',
  });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.registerPerson.id;
}

describe('a birth date that is not a calendar date YYYY-MM-DD registers no one', () => {
  it.each(NOT_A_DATE)('%s as a literal is BAD_USER_INPUT', async (birthDate) => {
    const name = `日付 ${randomUUID()}`;
    const result = await queryAs(hub, welfare, REGISTER_LITERAL(name, birthDate));
    expectRefusedInput(result.errors, birthDate);
    expect(result.data ?? null).toBeNull();
    expect(await registeredNamed(name)).toBe(0);
  });

  it.each(NOT_A_DATE)('%s as a variable is BAD_USER_INPUT naming the variable', async (birthDate) => {
    const name = `日付 ${randomUUID()}`;
    const result = await queryAs(hub, welfare, REGISTER, { name, birthDate });
    const error = expectRefusedInput(result.errors, birthDate);
    expect(error.message).toContain('$birthDate');
    expect(await registeredNamed(name)).toBe(0);
  });

  it.each([
    ['more than 130 years ago', '1800-01-01', 'TOO_FAR_IN_THE_PAST'],
    ['in the future', '2999-01-01', 'IN_THE_FUTURE'],
  ])('a birth date %s is no living resident’s: BAD_USER_INPUT, nothing registered', async (_, birthDate, reason) => {
    const name = `日付 ${randomUUID()}`;
    const result = await queryAs(hub, welfare, REGISTER, { name, birthDate });
    expect(
      result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason'], e.extensions?.['argument']]),
    ).toEqual([['BAD_USER_INPUT', reason, 'birthDate']]);
    expect(await registeredNamed(name)).toBe(0);
  });

  it('a leap day of a leap year is a date', async () => {
    const name = `日付 ${randomUUID()}`;
    const result = await queryAs(hub, welfare, REGISTER, { name, birthDate: '1980-02-29' });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(await registeredNamed(name)).toBe(1);
  });
});

describe('a joining date that is not a calendar date makes no one a member', () => {
  it.each(['abc', '2020-02-30', '0000-01-01'])('joinedOn %s is BAD_USER_INPUT', async (joinedOn) => {
    const personId = await resident();
    const result = await queryAs(
      hub,
      silver,
      /* GraphQL */ `
        mutation ($p: ID!) {
          registerSilverMembership(input: { personId: $p, centreName: "みなみ野市シルバー人材センター", joinedOn: "${joinedOn}" }) {
            id
          }
        }
      `,
      { p: personId },
    );
    expectRefusedInput(result.errors, joinedOn);
    const [row] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from seniors_work.silver_membership where person_id = ${personId}
    `;
    expect(row!.count).toBe(0);
  });
});

describe('a consent whose validity is not a real date-time with an offset is not recorded', () => {
  const GRANT = /* GraphQL */ `
    mutation ($input: GrantConsentInput!) {
      grantConsent(input: $input) {
        id
      }
    }
  `;
  const consentInput = (personId: string, validFrom: string) => ({
    personId,
    recipientAgencyIds: [helloWork],
    categories: ['WELFARE_CASE'],
    purpose: '就労支援のための情報共有',
    validFrom,
    validUntil: '2100-01-01T00:00:00Z',
    method: 'WRITTEN',
    evidenceRef: '同意書-日付',
  });

  async function consentsOf(personId: string) {
    const result = await queryAs<{ consents: { id: string }[] }>(
      hub,
      welfare,
      /* GraphQL */ `
        query ($personId: ID!) {
          consents(personId: $personId) {
            id
          }
        }
      `,
      { personId },
    );
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.consents;
  }

  it.each(NOT_A_DATE_TIME)('validFrom %s as a variable is BAD_USER_INPUT', async (validFrom) => {
    const personId = await resident();
    const result = await queryAs(hub, welfare, GRANT, { input: consentInput(personId, validFrom) });
    const error = expectRefusedInput(result.errors, validFrom);
    expect(error.message).toContain('validFrom');
    expect(await consentsOf(personId)).toEqual([]);
  });

  it.each(NOT_A_DATE_TIME)('validFrom %s as a literal is BAD_USER_INPUT', async (validFrom) => {
    const personId = await resident();
    const result = await queryAs(
      hub,
      welfare,
      /* GraphQL */ `
        mutation ($p: ID!) {
          grantConsent(
            input: {
              personId: $p
              recipientAgencyIds: ["${helloWork}"]
              categories: [WELFARE_CASE]
              purpose: "就労支援のための情報共有"
              validFrom: "${validFrom}"
              validUntil: "2100-01-01T00:00:00Z"
              method: WRITTEN
              evidenceRef: "同意書-日付"
            }
          ) {
            id
          }
        }
      `,
      { p: personId },
    );
    expectRefusedInput(result.errors, validFrom);
    expect(await consentsOf(personId)).toEqual([]);
  });

  it('a date-time with seconds fractions and an offset is recorded', async () => {
    const personId = await resident();
    const result = await queryAs(hub, welfare, GRANT, {
      input: consentInput(personId, '2026-04-01T09:00:00.250+09:00'),
    });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(await consentsOf(personId)).toHaveLength(1);
  });
});

describe('a date the gateway refuses stops the whole request, before any field is sent', () => {
  it("a mutation whose second field's Date is no calendar date writes neither the first field nor the third", async () => {
    const personId = await resident();
    const summary = `日付-${randomUUID()}`;
    const result = await queryAs(
      hub,
      helloWork,
      /* GraphQL */ `
        mutation ($p: ID!, $d: Date!, $opening: ID!) {
          a: recordAbuseReport(
            input: { personId: $p, kind: NEGLECT, urgency: PROMPT, receivingAgencyId: "minamino-kodomo", summary: "${summary}" }
          ) {
            receiptNumber
          }
          b: recordPlacement(input: { personId: $p, openingId: $opening, startedOn: $d }) {
            id
          }
          c: recordAbuseReport(
            input: { personId: $p, kind: NEGLECT, urgency: PROMPT, receivingAgencyId: "minamino-kodomo", summary: "${summary}" }
          ) {
            receiptNumber
          }
        }
      `,
      { p: personId, d: '2026-02-30', opening: demoId('job-opening:park-cleaning') },
    );
    const error = expectRefusedInput(result.errors, '2026-02-30');
    expect(error.message).toContain('$d');
    expect(result.data ?? null).toBeNull();
    const [reports] = await db.sql<{ count: number }[]>`
      select count(*)::int as count from child_dv.abuse_report where summary = ${summary}`;
    expect(reports!.count).toBe(0);
  });
});
