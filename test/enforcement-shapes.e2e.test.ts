// Enforcement whatever the query's shape: lists, aliases, fragments, variables, nesting, repetition.
// Each denial is also proven on the owning subgraph's side: the denied person/field was never sent.

import { beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { askedFor, denials, grantConsent, readAccessLog, whileAccessLogRefuses } from './support/bases.js';
import { useConnection, useTestHub } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-enforcement-shapes');

const helloWork = AGENCIES.helloWorkMinamino.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const allowed = residentId('watanabe'); // Hello Work holds a consent for MENTAL_HEALTH and IDENTITY
const denied = residentId('sato-mother'); // and none for her

beforeAll(async () => {
  await grantConsent(hub, collaborator, {
    personId: allowed,
    recipientAgencyIds: [helloWork],
    categories: ['MENTAL_HEALTH', 'IDENTITY'],
  });
});

describe('a list of 50 persons where half are allowed', () => {
  it('returns exactly the allowed half and never sends the denied half to the owner', async () => {
    const registered = await hub.query<Record<string, { id: string }>>(
      { agency: collaborator },
      `mutation { ${Array.from({ length: 50 }, (_, i) => `p${i}: registerPerson(input: { name: "名簿 ${i}", nameKana: "メイボ", birthDate: "1975-05-05", municipalityCode: "990001" }) { id }`).join('\n')} }`,
    );
    const ids = Object.values(registered.data!).map((p) => p.id);
    const allowedIds = ids.filter((_, i) => i % 2 === 0);
    for (const personId of allowedIds) {
      await grantConsent(hub, collaborator, { personId, recipientAgencyIds: [helloWork], categories: ['IDENTITY'] });
    }
    hub.forget();

    const result = await hub.query<{ people: { id: string; name: string | null }[] }>(
      { agency: helloWork },
      /* GraphQL */ `
        query ($ids: [ID!]!) {
          people(ids: $ids) {
            id
            name
          }
        }
      `,
      { ids },
    );
    expect(result.data!.people.map((p) => p.id)).toEqual(ids);
    const named = result.data!.people.filter((p) => p.name !== null).map((p) => p.id);
    expect(named).toEqual(allowedIds);
    const forbidden = denials(result.errors);
    expect(forbidden).toHaveLength(25);
    expect(forbidden.map((d) => d.personId).sort()).toEqual(ids.filter((_, i) => i % 2 === 1).sort());
    expect(forbidden.every((d) => d.category === 'IDENTITY' && d.reason === 'NO_LEGAL_BASIS')).toBe(true);
    expect(forbidden[0]!.path).toEqual(['people', 1, 'name']);
    for (const personId of ids.filter((_, i) => i % 2 === 1))
      expect(askedFor(hub, 'welfare', personId, 'name')).toBe(false);
  });
});

describe('query shapes', () => {
  const riskOf = (person: { [key: string]: unknown } | null | undefined, key: string) => person?.[key] ?? null;

  it('an alias does not hide a denied field', async () => {
    const result = await hub.query<{ p: { r: unknown } }>(
      { agency: helloWork },
      `{ p: person(id: "${denied}") { r: riskAssessments { level } } }`,
    );
    expect(riskOf(result.data!.p, 'r')).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS', personId: denied, path: ['p', 'r'] },
    ]);
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  it('each alias of a denied root field carries its own error, whichever resolves first', async () => {
    const outsider = AGENCIES.higashiyamaWelfare.id; // another town's office: no basis for her at all
    for (let round = 0; round < 4; round++) {
      const result = await hub.query<{ x: unknown; y: unknown }>(
        { agency: outsider },
        'query ($p: ID!) { x: consents(personId: $p) { id purpose } y: consents(personId: $p) { id } }',
        { p: denied },
      );
      expect(result.data).toEqual({ x: null, y: null });
      expect(
        denials(result.errors)
          .map((d) => d.path?.join('.'))
          .sort(),
      ).toEqual(['x', 'y']);
    }
  });

  it('a named fragment does not hide a denied field', async () => {
    const result = await hub.query<{ person: { riskAssessments: unknown } }>(
      { agency: helloWork },
      /* GraphQL */ `
        query { person(id: "${denied}") { ...Risk } }
        fragment Risk on Person { riskAssessments { level signs } }
      `,
    );
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)[0]).toMatchObject({ category: 'MENTAL_HEALTH', personId: denied });
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  it('an inline fragment does not hide a denied field', async () => {
    const result = await hub.query<{ person: { riskAssessments: unknown } }>(
      { agency: helloWork },
      `{ person(id: "${denied}") { ... on Person { riskAssessments { level } } } }`,
    );
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  it('variables and directives do not hide a denied field', async () => {
    const result = await hub.query<{ person: { riskAssessments: unknown } }>(
      { agency: helloWork },
      /* GraphQL */ `
        query ($id: ID!, $yes: Boolean = true) {
          person(id: $id) {
            riskAssessments @include(if: $yes) {
              level
            }
          }
        }
      `,
      { id: denied },
    );
    expect(result.data!.person.riskAssessments).toBeNull();
    expect(denials(result.errors)).toHaveLength(1);
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  const father = residentId('yamada-father');
  const son = residentId('yamada-son');
  /** Hello Work reads the son on his consent, and nothing of his father. */
  const sonConsentsToHelloWork = async () => {
    await grantConsent(hub, collaborator, {
      personId: son,
      recipientAgencyIds: [helloWork],
      categories: ['IDENTITY', 'WELFARE_CASE'],
    });
    hub.forget();
  };

  it('a denied field nested under an allowed person is denied: household members are decided each on their own', async () => {
    // Hello Work may read watanabe's identity, not the identity of members of other households.
    await sonConsentsToHelloWork();
    const result = await hub.query<{
      person: { name: string; household: { members: { id: string; name: string | null }[] } };
    }>({ agency: helloWork }, `{ person(id: "${son}") { name household { members { id name } } } }`);
    expect(result.data!.person.name).toBe('山田 健太');
    const members = result.data!.person.household.members;
    expect(members.find((m) => m.id === son)!.name).toBe('山田 健太');
    expect(members.find((m) => m.id === father)!.name).toBeNull();
    const fatherDenial = denials(result.errors).find((d) => d.personId === father)!;
    // The household's seeded support meeting covers the father, but Hello Work never sat in it: it is told
    // nothing of the meeting (v2: a meeting's reasons go only to its members, past or present).
    expect(fatherDenial).toMatchObject({ category: 'IDENTITY', reason: 'NO_LEGAL_BASIS' });
    expect(fatherDenial.path).toEqual([
      'person',
      'household',
      'members',
      members.findIndex((m) => m.id === father),
      'name',
    ]);
    expect(askedFor(hub, 'welfare', father, 'name')).toBe(false);
  });

  it('a member denied all the query reads of her is answered under the names the query gives her id and type (aliases, fragments)', async () => {
    await sonConsentsToHelloWork();
    type Member = { who: string; kind: string; again?: string; name: string | null };
    const result = await hub.query<{ person: { household: { members: Member[] } | null } }>(
      { agency: helloWork },
      `{ person(id: "${son}") { household { members { who: id kind: __typename ... on Person { again: id } name } } } }`,
    );
    const members = result.data!.person.household!.members;
    expect(members.find((m) => m.who === son)).toEqual({ who: son, kind: 'Person', again: son, name: '山田 健太' });
    // The father's name is denied: nothing is asked of him, and he is answered as the query names his id.
    expect(members.find((m) => m.who === father)).toEqual({ who: father, kind: 'Person', again: father, name: null });
    expect(denials(result.errors).map((d) => [d.personId, d.category])).toContainEqual([father, 'IDENTITY']);
    expect(askedFor(hub, 'welfare', father, 'name')).toBe(false);
  });

  it('a member about whom the caller holds nothing leaves the list, as an id that names no one would: no id, no count', async () => {
    // The town's collaborator records 佐藤's consent naming ひがし山町's office, which serves none of her household.
    const mother = residentId('sato-mother');
    await grantConsent(hub, collaborator, {
      personId: mother,
      recipientAgencyIds: [AGENCIES.higashiyamaWelfare.id],
      categories: ['IDENTITY', 'WELFARE_CASE'],
    });
    const result = await hub.query<{
      person: { name: string; household: { members: { id: string; __typename: string; name: string | null }[] } };
    }>(
      { agency: AGENCIES.higashiyamaWelfare.id },
      `{ person(id: "${mother}") { name household { members { id __typename name } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.household.members).toEqual([{ id: mother, __typename: 'Person', name: '佐藤 美和' }]);
  });

  it('the same person twice in one query is denied in both places', async () => {
    const result = await hub.query<{ a: { riskAssessments: unknown }; b: { riskAssessments: unknown } }>(
      { agency: helloWork },
      `{ a: person(id: "${denied}") { riskAssessments { level } } b: person(id: "${denied}") { riskAssessments { level } } }`,
    );
    expect(result.data!.a.riskAssessments).toBeNull();
    expect(result.data!.b.riskAssessments).toBeNull();
    expect(denials(result.errors).map((d) => d.path)).toEqual(
      expect.arrayContaining([
        ['a', 'riskAssessments'],
        ['b', 'riskAssessments'],
      ]),
    );
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  it('an allowed and a denied person in one query: each gets what its basis allows', async () => {
    const result = await hub.query<{ a: { riskAssessments: unknown[] | null }; b: { riskAssessments: unknown } }>(
      { agency: helloWork },
      `{ a: person(id: "${allowed}") { riskAssessments { level } } b: person(id: "${denied}") { riskAssessments { level } } }`,
    );
    expect(result.data!.a.riskAssessments!.length).toBeGreaterThan(0);
    expect(result.data!.b.riskAssessments).toBeNull();
    expect(askedFor(hub, 'suicide-prevention', allowed, 'riskAssessments')).toBe(true);
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
  });

  it('an agency of another domain cannot record in a domain it does not own', async () => {
    const result = await hub.query(
      { agency: helloWork },
      `mutation { openCase(input: { personId: "${allowed}", issues: [EMPLOYMENT] }) { id } }`,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN' });
    expect(hub.received('welfare').some((r) => r.query.includes('openCase'))).toBe(false);
  });
});

describe('one error per denied (person, category) at each place', () => {
  it('a person object whose fields of one category come from two sources gets one error; another place gets its own', async () => {
    const result = await hub.query<{
      person: { nameKana: string | null; phone: string | null; municipalityCode: string | null } | null;
      again: { phone: string | null } | null;
    }>(
      { agency: helloWork },
      `{
        person(id: "${denied}") { nameKana phone municipalityCode }
        again: person(id: "${denied}") { phone }
      }`,
    );
    expect(result.data).toEqual({
      person: { nameKana: null, phone: null, municipalityCode: null },
      again: { phone: null },
    });
    // Her phone (the welfare subgraph) and her municipality (the hub's register) are both CONTACT.
    const told = denials(result.errors).map(({ category, path }) => `${String(category)} ${path!.join('.')}`);
    expect(told).toHaveLength(3);
    expect(told).toEqual(expect.arrayContaining(['IDENTITY person.nameKana', 'CONTACT again.phone']));
    // At whichever of the two the answers reached first.
    expect(told.filter((t) => t.startsWith('CONTACT person.'))).toHaveLength(1);
  });

  it("a field of the hub's own register read at two places is denied at each, with its own error", async () => {
    const result = await hub.query<{ person: unknown; again: unknown }>(
      { agency: helloWork },
      `{ person(id: "${denied}") { municipalityCode } again: person(id: "${denied}") { municipalityCode } }`,
    );
    expect(result.data).toEqual({ person: { municipalityCode: null }, again: { municipalityCode: null } });
    const told = denials(result.errors).map(({ category, path }) => `${String(category)} ${path!.join('.')}`);
    expect(told.sort()).toEqual(['CONTACT again.municipalityCode', 'CONTACT person.municipalityCode']);
  });
});

describe('the access log of enforced reads', () => {
  it('records every decision of a request, allowed and denied, with its basis', async () => {
    await hub.query(
      { agency: helloWork },
      `{ a: person(id: "${allowed}") { riskAssessments { level } } b: person(id: "${denied}") { riskAssessments { level } } }`,
    );
    const auditor = `Bearer ${await hub.token(AGENCIES.minaminoWelfare.id, { roles: ['auditor'] })}`;
    expect(await readAccessLog(hub, allowed)).toContainEqual(
      expect.objectContaining({
        agency: { id: helloWork },
        categories: ['MENTAL_HEALTH'],
        allowed: true,
        basis: 'CONSENT',
        consentId: expect.any(String),
      }),
    );
    expect(await readAccessLog(hub, denied)).toContainEqual(
      expect.objectContaining({
        agency: { id: helloWork },
        categories: ['MENTAL_HEALTH'],
        allowed: false,
        reason: 'NO_LEGAL_BASIS',
      }),
    );
    const verified = await hub.query<{ verifyAccessLog: { intact: boolean } }>(
      { authorization: auditor },
      '{ verifyAccessLog { intact } }',
    );
    expect(verified.data!.verifyAccessLog.intact).toBe(true);
  });

  // Last in this file: it makes the access log refuse writes for a moment.
  it('releases no data when the decision cannot be recorded (fail closed)', async () => {
    await whileAccessLogRefuses(hub, async () => {
      const result = await hub.query<{ person: { riskAssessments: unknown } | null }>(
        { agency: helloWork },
        `{ person(id: "${allowed}") { name riskAssessments { level } } }`,
      );
      // The whole answer is withheld, the part that was its caller's own as well.
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toEqual([
        {
          message: expect.stringMatching(/access log/),
          extensions: { code: 'INTERNAL_SERVER_ERROR', reason: 'ACCESS_LOG_UNAVAILABLE' },
        },
      ]);
      expect(JSON.stringify(result)).not.toMatch(/HIGH|MODERATE|LOW/);

      // A mutation's answer is decided and committed as its step returns, not kept for the end: the same
      // refusal withholds it.
      const written = await hub.query<{ registerJobSeeker: unknown }>(
        { agency: helloWork },
        `mutation { registerJobSeeker(input: { personId: "${allowed}", desiredWork: "清掃", preferredWorkStyles: [SHORT_HOURS] }) { status desiredWork } }`,
      );
      expect(written.data?.registerJobSeeker ?? null).toBeNull();
      expect(written.errors?.map((e) => e.extensions?.['reason'])).toEqual(['ACCESS_LOG_UNAVAILABLE']);
      expect(JSON.stringify(written)).not.toMatch(/清掃/);
    });
  });
});

describe('@skip and @include: what the query leaves out is not read, so neither decided, logged nor denied', () => {
  const QUERY = /* GraphQL */ `
    query ($id: ID!, $withRisk: Boolean!, $withoutName: Boolean!) {
      person(id: $id) {
        id
        name @skip(if: $withoutName)
        riskAssessments @include(if: $withRisk) {
          level
        }
      }
    }
  `;

  it('a denied field left out by @include(if: false) gets no error, is not asked for and is not in the log', async () => {
    const before = (await readAccessLog(hub, denied)).length;
    hub.forget();
    const result = await hub.query<{ person: Record<string, unknown> | null }>({ agency: helloWork }, QUERY, {
      id: denied,
      withRisk: false,
      withoutName: true,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.person).toEqual({ id: denied });
    expect(askedFor(hub, 'suicide-prevention', denied, 'riskAssessments')).toBe(false);
    const entries = await readAccessLog(hub, denied);
    expect(entries.slice(0, entries.length - before).flatMap((e) => e.categories)).not.toContain('MENTAL_HEALTH');
  });

  it('the same field included is decided as ever: a denied person gets its FORBIDDEN error', async () => {
    const result = await hub.query<{ person: { riskAssessments: unknown } | null }>({ agency: helloWork }, QUERY, {
      id: denied,
      withRisk: true,
      withoutName: true,
    });
    expect(denials(result.errors)).toEqual([
      { category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS', personId: denied, path: ['person', 'riskAssessments'] },
    ]);
  });

  it('a denied field skipped by @skip(if: true) gets no error, while the allowed one beside it is answered', async () => {
    const result = await hub.query<{ person: Record<string, unknown> | null }>(
      { agency: helloWork },
      `query ($id: ID!) { person(id: $id) { id name riskAssessments @skip(if: true) { level } } }`,
      { id: allowed },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person).toMatchObject({ id: allowed, name: expect.any(String) });
    expect(result.data!.person).not.toHaveProperty('riskAssessments');
  });

  it("a condition's variable named as a property of every object ($toString) is read as sent, its default applied", async () => {
    for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const included = await hub.query<{ person: Record<string, unknown> | null }>(
        { agency: helloWork },
        `query ($id: ID!, $${name}: Boolean = true) { person(id: $id) { id name @include(if: $${name}) } }`,
        { id: allowed },
      );
      expect(included.errors, name).toBeUndefined();
      expect(included.data!.person!['name'], name).toEqual(expect.any(String));
      const deniedAndIncluded = await hub.query<{ person: Record<string, unknown> | null }>(
        { agency: helloWork },
        `query ($id: ID!, $${name}: Boolean = true) { person(id: $id) { id riskAssessments @include(if: $${name}) { level } } }`,
        { id: denied },
      );
      expect(denials(deniedAndIncluded.errors), name).toEqual([
        { category: 'MENTAL_HEALTH', reason: 'NO_LEGAL_BASIS', personId: denied, path: ['person', 'riskAssessments'] },
      ]);
      const deniedAndSkipped = await hub.query<{ person: Record<string, unknown> | null }>(
        { agency: helloWork },
        `query ($id: ID!, $${name}: Boolean = true) { person(id: $id) { id riskAssessments @skip(if: $${name}) { level } } }`,
        { id: denied },
      );
      expect(deniedAndSkipped.errors, name).toBeUndefined();
    }
  });

  it('a root inline fragment under a directive is answered like its fields alone', async () => {
    const fragment = await hub.query<{ jobOpenings: unknown[] }>(
      { agency: helloWork },
      `query ($on: Boolean!) { ... @include(if: $on) { jobOpenings { id } } }`,
      { on: true },
    );
    const plain = await hub.query<{ jobOpenings: unknown[] }>({ agency: helloWork }, `{ jobOpenings { id } }`);
    expect(fragment.errors).toBeUndefined();
    expect(fragment.data).toEqual(plain.data);
    const left = await hub.query(
      { agency: helloWork },
      `query ($on: Boolean!) { ... @include(if: $on) { jobOpenings { id } } }`,
      {
        on: false,
      },
    );
    expect(left.errors).toBeUndefined();
    expect(left.data).toEqual({});
  });
});

describe("a mutation's fields run one after another, each with its answer", () => {
  it("a field's answer, persons read inside it included, is read before the next field runs", async () => {
    const kokoro = AGENCIES.minaminoKokoro.id;
    const person = await registerResident(hub, collaborator);
    const result = await hub.query<{
      contact: { person: { psychiatricReferrals: { id: string }[] | null } };
      referral: { id: string };
      again: { person: { psychiatricReferrals: { id: string }[] | null } };
    }>(
      { agency: kokoro },
      /* GraphQL */ `
        mutation ($p: ID!) {
          contact: recordCounselingContact(input: { personId: $p, channel: PHONE }) {
            person {
              psychiatricReferrals {
                id
              }
            }
          }
          referral: referToPsychiatricCare(input: { personId: $p, institution: "病院" }) {
            id
          }
          again: recordCounselingContact(input: { personId: $p, channel: VISIT }) {
            person {
              psychiatricReferrals {
                id
              }
            }
          }
        }
      `,
      { p: person },
    );
    expect(result.errors).toBeUndefined();
    // As GraphQL runs a mutation: the first answer is complete before the referral is made, the last after.
    expect(result.data!.contact.person.psychiatricReferrals).toEqual([]);
    expect(result.data!.again.person.psychiatricReferrals).toEqual([{ id: result.data!.referral.id }]);
  });

  it("a named fragment's fields run where the fragment is spread, after the fields before it (another operation spreading it too)", async () => {
    const kokoro = AGENCIES.minaminoKokoro.id;
    const person = await registerResident(hub, collaborator);
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(kokoro)}` },
      body: JSON.stringify({
        operationName: 'Contact',
        variables: { p: person },
        query: /* GraphQL */ `
          mutation Contact($p: ID!) {
            contact: recordCounselingContact(input: { personId: $p, channel: PHONE }) {
              person {
                psychiatricReferrals {
                  id
                }
              }
            }
            ...Referral
          }
          mutation Other($p: ID!) {
            ...Referral
          }
          fragment Referral on Mutation {
            referral: referToPsychiatricCare(input: { personId: $p, institution: "病院" }) {
              id
            }
          }
        `,
      }),
    });
    const result = (await response.json()) as {
      data?: { contact: { person: { psychiatricReferrals: { id: string }[] | null } }; referral: { id: string } };
      errors?: unknown;
    };
    expect(result.errors).toBeUndefined();
    expect(result.data!.contact.person.psychiatricReferrals).toEqual([]);
    expect(result.data!.referral.id).toEqual(expect.any(String));
  });

  it('a registration followed by a field that fails: the person registered is in the register all the same', async () => {
    const name = `二件 ${Date.now()}`;
    const result = await hub.query(
      { agency: collaborator },
      /* GraphQL */ `
        mutation ($a: RegisterPersonInput!, $b: RegisterPersonInput!) {
          a: registerPerson(input: $a) {
            id
          }
          b: registerPerson(input: $b) {
            id
          }
        }
      `,
      {
        a: { name, nameKana: 'ニケン', birthDate: '1985-01-01', municipalityCode: '990001' },
        b: { name: `${name} 次`, nameKana: 'ニケン', birthDate: '2099-01-01', municipalityCode: '990001' },
      },
    );
    expect(result.errors?.map((e) => [e.path, e.extensions?.['reason']])).toEqual([[['b'], 'IN_THE_FUTURE']]);
    // The welfare system registered the first; the hub's register learnt her, so the agency reads her.
    const [row] = await db.sql<{ id: string; resident: string | null }[]>`
      select p.id, r.municipality_code as resident
      from welfare.person p left join hub.resident r on r.person_id::text = p.id::text
      where p.name = ${name}`;
    expect(row).toEqual({ id: expect.any(String), resident: '990001' });
    const read = await hub.query<{ person: { id: string } | null }>(
      { agency: collaborator },
      `{ person(id: "${row!.id}") { id } }`,
    );
    expect(read.data!.person).toEqual({ id: row!.id });
  });

  it('a field refused ends the mutation there: the fields after it are not sent', async () => {
    const kokoro = AGENCIES.minaminoKokoro.id;
    const person = await registerResident(hub, collaborator);
    const stranger = '7d1c0f4e-2a8b-4c3d-9e5f-0a1b2c3d4e5f';
    const sent = hub.received('suicide-prevention').length;
    const result = await hub.query(
      { agency: kokoro },
      /* GraphQL */ `
        mutation ($p: ID!, $stranger: ID!) {
          contact: recordCounselingContact(input: { personId: $stranger, channel: PHONE }) {
            person {
              id
            }
          }
          referral: referToPsychiatricCare(input: { personId: $p, institution: "病院" }) {
            id
          }
        }
      `,
      { p: person, stranger },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.path)).toEqual([['contact']]);
    expect(hub.received('suicide-prevention').length).toBe(sent);
    const read = await hub.query<{ person: { psychiatricReferrals: unknown[] } }>(
      { agency: kokoro },
      `{ person(id: "${person}") { psychiatricReferrals { id } } }`,
    );
    expect(read.data!.person.psychiatricReferrals).toEqual([]);
  });
});
