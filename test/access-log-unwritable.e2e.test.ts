// A mutation whose answer the access log cannot record: its change is written before its answer is
// decided, so the change is kept, and so is what it teaches the hub's register (a person registered, a DV
// victim's move); the answer's personal data is withheld with an error that names the access log.

import { describe, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { grantConsent, whileAccessLogRefuses } from './support/bases.js';
import { openDvCase } from './support/dv.js';
import { useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'access-log-unwritable');

const welfare = AGENCIES.minaminoWelfare.id;
const dvCentre = AGENCIES.midoriDvCentre.id;
const destinationDv = AGENCIES.higashiyamaDv.id;

/** The error a withheld answer gets: the access log named, code and reason. */
const unrecorded = (result: GraphQLResponse<unknown>) =>
  result.errors?.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions }));

const ACCESS_LOG_ERROR = {
  message: expect.stringMatching(/access log/),
  extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'ACCESS_LOG_UNAVAILABLE' },
};

/** A resident of みなみ野市 with an open DV case at the DV centre, and her consent to move it to the destination. */
async function victimWhoMayMove(): Promise<string> {
  const person = await registerResident(hub, welfare);
  await openDvCase(hub, dvCentre, person, '990001');
  await grantConsent(hub, dvCentre, {
    personId: person,
    recipientAgencyIds: [destinationDv],
    categories: ['DV', 'DV_LOCATION'],
  });
  return person;
}

describe('a mutation whose answer the access log cannot record', () => {
  it('registerPerson: the answer names the access log, and the person is in the register once it writes again', async () => {
    const name = '記録 不能子';
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query<{ registerPerson: { id: string; name: string } | null }>(
        { agency: welfare },
        `mutation { registerPerson(input: { name: "${name}", nameKana: "キロク フノウコ", birthDate: "1980-02-03", municipalityCode: "990001" }) { id name } }`,
      ),
    );
    expect(result.data ?? null).toBeNull();
    expect(JSON.stringify(result)).not.toContain(name);

    // Welfare recorded her; the register learnt where she lives, so her town's office reads her as its own.
    const [row] = await db.sql<{ id: string }[]>`select id from welfare.person where name = ${name}`;
    expect(row).toBeDefined();
    const read = await hub.query<{ person: { name: string; municipalityCode: string } | null }>(
      { agency: welfare },
      `{ person(id: "${row!.id}") { name municipalityCode } }`,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.person).toEqual({ name, municipalityCode: '990001' });
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['registerPerson'] }]);
  });

  it('transferDvCase: she is registered at the destination although the answer was withheld', async () => {
    const person = await victimWhoMayMove();
    // The log takes the transfer's check (the destination's consent, recorded as the destination's) and
    // refuses the DV centre's own entries: the case is moved before its answer's decision fails.
    const result = await whileAccessLogRefuses(
      hub,
      () =>
        hub.query<{ transferDvCase: { agencyId: string } | null }>(
          { agency: dvCentre },
          'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId status } }',
          { input: { personId: person, toAgencyId: destinationDv } },
        ),
      { agencyId: dvCentre },
    );
    expect(result.data ?? null).toBeNull();

    // The case moved, and so did her registration: the destination serves her now, and the town she left
    // does not.
    const there = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: destinationDv },
      `{ person(id: "${person}") { municipalityCode } }`,
    );
    expect(there.errors).toBeUndefined();
    expect(there.data!.person.municipalityCode).toBe('990002');
    const left = await hub.query<{ person: { name: string | null } | null }>(
      { agency: welfare },
      `{ person(id: "${person}") { name } }`,
    );
    expect(left.data?.person?.name ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['transferDvCase'] }]);
  });

  it('transferDvCase whose consent check cannot be recorded: refused with the same error, nothing sent', async () => {
    const person = await victimWhoMayMove();
    hub.forget();
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query<{ transferDvCase: { agencyId: string } | null }>(
        { agency: dvCentre },
        'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }',
        { input: { personId: person, toAgencyId: destinationDv } },
      ),
    );
    expect(result.data ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['transferDvCase'] }]);
    expect(hub.received('child-dv').some((r) => r.query.includes('transferDvCase'))).toBe(false);
    const held = await hub.query<{ person: { dvCase: { agencyId: string } } }>(
      { agency: dvCentre },
      `{ person(id: "${person}") { dvCase { agencyId } } }`,
    );
    expect(held.data!.person.dvCase.agencyId).toBe(dvCentre);
  });

  it('createReferral whose sender basis cannot be recorded: refused with the same error, no referral made', async () => {
    const person = await registerResident(hub, welfare);
    const REFER = `mutation { createReferral(input: { personId: "${person}", toAgencyId: "${AGENCIES.minaminoCollaborator.id}", categories: [WELFARE_CASE], reason: "多機関協働へのつなぎ" }) { id reason } }`;
    const count = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from hub.referral where person_id = ${person}`)[0]!.n;
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query<{ createReferral: unknown }>({ agency: welfare }, REFER),
    );
    expect(result.data ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['createReferral'] }]);
    expect(await count()).toBe(0);
    // The same referral, once the log writes again, is made: nothing but the log stopped it.
    const again = await hub.query({ agency: welfare }, REFER);
    expect(again.errors).toBeUndefined();
    expect(await count()).toBe(1);
  });

  it('grantConsent: recorded once, its answer withheld with the same error (whom it is about is read with any of its fields); read back once the log writes again', async () => {
    const person = await registerResident(hub, welfare);
    const count = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from hub.consent where person_id = ${person}`)[0]!.n;
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query<{ grantConsent: { id: string } | null }>(
        { agency: welfare },
        `mutation { grantConsent(input: { personId: "${person}", recipientAgencyIds: ["${AGENCIES.helloWorkMinamino.id}"], categories: [EMPLOYMENT], purpose: "就労支援のため", validFrom: "2026-01-01T00:00:00Z", validUntil: "2099-01-01T00:00:00Z", method: WRITTEN, evidenceRef: "同意書-2026-001" }) { id } }`,
      ),
    );
    expect(result.data ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['grantConsent'] }]);
    expect(await count()).toBe(1);
    const listed = await hub.query<{ consents: { id: string }[] }>(
      { agency: welfare },
      `{ consents(personId: "${person}") { id } }`,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.consents).toHaveLength(1);
  });

  it('a query: its whole answer withheld, with the same code and reason', async () => {
    const person = await registerResident(hub, welfare);
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query({ agency: welfare }, `{ person(id: "${person}") { id name } }`),
    );
    expect(result.data ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([ACCESS_LOG_ERROR]);
  });

  it('registerJobSeeker: written once, its answer withheld; read back once the log writes again', async () => {
    const person = await registerResident(hub, welfare);
    const before = await db.sql<{ n: number }[]>`select count(*)::int as n from employment.job_seeker`;
    const result = await whileAccessLogRefuses(hub, () =>
      hub.query<{ registerJobSeeker: unknown }>(
        { agency: AGENCIES.helloWorkMinamino.id },
        `mutation { registerJobSeeker(input: { personId: "${person}", desiredWork: "清掃", preferredWorkStyles: [SHORT_HOURS] }) { id status } }`,
      ),
    );
    expect(result.data ?? null).toBeNull();
    expect(unrecorded(result)).toEqual([{ ...ACCESS_LOG_ERROR, path: ['registerJobSeeker'] }]);
    const after = await db.sql<{ n: number }[]>`select count(*)::int as n from employment.job_seeker`;
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    const read = await hub.query<{ person: { jobSeeker: { desiredWork: string } | null } }>(
      { agency: AGENCIES.helloWorkMinamino.id },
      `{ person(id: "${person}") { jobSeeker { desiredWork } } }`,
    );
    expect(read.data!.person.jobSeeker).toEqual({ desiredWork: '清掃' });
  });
});
