// The running skeleton: one endpoint in front of six agency subgraphs on a real database.

import { request, type OutgoingHttpHeaders } from 'node:http';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AGENCIES, DOMAINS, MUNICIPALITIES, residentId } from '@hub/platform';
import { mintDevToken } from '@hub/gateway/token';
import { denials, grantConsent } from './support/bases.js';
import { useConnection, useTestHub } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'foundation-test');

const welfareAgency = { agency: AGENCIES.minaminoCollaborator.id };

describe('one request across agencies', () => {
  it("joins a person's welfare case, Hello Work registration and eco-project enrolment", async () => {
    const registered = await hub.query<{ registerPerson: { id: string } }>(
      welfareAgency,
      /* GraphQL */ `
        mutation {
          registerPerson(
            input: { name: "試験 太郎", nameKana: "シケン タロウ", birthDate: "1980-01-01", municipalityCode: "990001" }
          ) {
            id
          }
        }
      `,
    );
    expect(registered.errors).toBeUndefined();
    const personId = registered.data!.registerPerson.id;

    const opened = await hub.query(
      welfareAgency,
      /* GraphQL */ `
        mutation ($id: ID!) {
          openCase(input: { personId: $id, issues: [EMPLOYMENT, ISOLATION] }) {
            id
            status
          }
        }
      `,
      { id: personId },
    );
    expect(opened.errors).toBeUndefined();

    const job = await hub.query(
      { agency: AGENCIES.helloWorkMinamino.id },
      /* GraphQL */ `
        mutation ($id: ID!) {
          registerJobSeeker(
            input: { personId: $id, desiredWork: "軽作業", desiredHoursPerWeek: 20, preferredWorkStyles: [SHORT_HOURS] }
          ) {
            id
          }
        }
      `,
      { id: personId },
    );
    expect(job.errors).toBeUndefined();

    const opportunities = await hub.query<{ participationOpportunities: { id: string }[] }>(
      { agency: AGENCIES.minaminoEnvironment.id },
      /* GraphQL */ `
        {
          participationOpportunities(openOnly: true) {
            id
          }
        }
      `,
    );
    const opportunityId = opportunities.data!.participationOpportunities[0]!.id;
    const enrolled = await hub.query(
      { agency: AGENCIES.minaminoEnvironment.id },
      /* GraphQL */ `
        mutation ($p: ID!, $o: ID!) {
          enroll(input: { personId: $p, opportunityId: $o }) {
            id
          }
        }
      `,
      { p: personId, o: opportunityId },
    );
    expect(enrolled.errors).toBeUndefined();

    // The collaborator records the person's consent to see the Hello Work and eco-project records.
    await grantConsent(hub, AGENCIES.minaminoCollaborator.id, {
      personId,
      recipientAgencyIds: [AGENCIES.minaminoCollaborator.id],
      categories: ['EMPLOYMENT', 'ENVIRONMENT_PARTICIPATION'],
    });

    const joined = await hub.query<{
      person: {
        name: string;
        cases: { status: string; issues: string[] }[];
        jobSeeker: { desiredWork: string; preferredWorkStyles: string[] };
        enrollments: { opportunity: { id: string; project: { name: string } } }[];
      };
    }>(
      welfareAgency,
      /* GraphQL */ `
        query Joined($id: ID!) {
          person(id: $id) {
            name
            cases {
              status
              issues
            }
            jobSeeker {
              desiredWork
              preferredWorkStyles
            }
            enrollments {
              opportunity {
                id
                project {
                  name
                }
              }
            }
          }
        }
      `,
      { id: personId },
    );
    expect(joined.errors).toBeUndefined();
    expect(joined.data!.person).toMatchObject({
      name: '試験 太郎',
      cases: [{ status: 'INTAKE', issues: ['EMPLOYMENT', 'ISOLATION'] }],
      jobSeeker: { desiredWork: '軽作業', preferredWorkStyles: ['SHORT_HOURS'] },
      enrollments: [{ opportunity: { id: opportunityId } }],
    });
    expect(joined.data!.person.enrollments[0]!.opportunity.project.name).toEqual(expect.any(String));
  });

  it('reads the seeded 8050 household: its own domain, what the support meeting shares, not what it does not', async () => {
    const son = residentId('yamada-son');
    const result = await hub.query<{ person: Record<string, unknown> }>(
      welfareAgency,
      /* GraphQL */ `
        query ($id: ID!) {
          person(id: $id) {
            name
            household {
              flags
              members {
                name
              }
            }
            hikikomoriSupport {
              stage
            }
            riskAssessments {
              level
            }
            enrollments {
              status
            }
          }
        }
      `,
      { id: son },
    );
    expect(result.data!.person).toMatchObject({
      name: '山田 健太',
      household: { flags: expect.arrayContaining(['EIGHTY_FIFTY']), members: expect.any(Array) },
      hikikomoriSupport: { stage: expect.any(String) },
    });
    expect((result.data!.person['household'] as { members: unknown[] }).members).toHaveLength(2);
    // The household's support meeting shares eco-project participation with the collaborator …
    expect(result.data!.person['enrollments']).not.toHaveLength(0);
    // … but not the suicide-prevention window's records.
    expect(result.data!.person['riskAssessments']).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'MENTAL_HEALTH', reason: 'CATEGORY_NOT_SHARED', personId: son, path: ['person', 'riskAssessments'] },
    ]);
  });

  it('serves the public data of every domain to any authenticated agency', async () => {
    const result = await hub.query<Record<string, unknown[]>>(
      { agency: AGENCIES.minaminoSilver.id },
      /* GraphQL */ `
        {
          agencies {
            id
            domain
          }
          municipalities {
            code
          }
          communityPlaces {
            name
          }
          counselingWindows {
            name
          }
          jobOpenings(diverseOnly: true) {
            title
            workStyle
          }
          workOffers {
            title
          }
          lifelongCouncils(first: 200) {
            prefecture
            organisation
            periodStart
            periodEnd
          }
          ecoProjects {
            name
            opportunities {
              title
              capacity
            }
          }
        }
      `,
    );
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    for (const list of Object.values(data)) expect(list.length).toBeGreaterThan(0);
    const domains = new Set((data['agencies'] as { domain: string }[]).map((a) => a.domain));
    expect([...domains].sort()).toEqual([...DOMAINS].sort());
    expect(data['municipalities']).toHaveLength(2);
  });

  it('lists the agencies of a municipality, and answers a code that names none BAD_USER_INPUT (UNKNOWN_MUNICIPALITY)', async () => {
    const list = (code: string) =>
      hub.query<{ agencies: { id: string }[] }>(
        { agency: AGENCIES.minaminoSilver.id },
        `query ($code: String) { agencies(municipalityCode: $code) { id } }`,
        { code },
      );
    const higashiyama = await list(MUNICIPALITIES.higashiyama.code);
    expect(higashiyama.errors).toBeUndefined();
    expect(higashiyama.data!.agencies.map((a) => a.id)).toContain(AGENCIES.higashiyamaDv.id);
    // A mistyped code is not a town without agencies: an empty list would read as one.
    for (const code of ['999999', '99000', 'みなみ野市']) {
      const unknown = await list(code);
      expect(unknown.data).toBeNull();
      expect(unknown.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'UNKNOWN_MUNICIPALITY',
        argument: 'municipalityCode',
      });
      expect(JSON.stringify(unknown.errors)).not.toContain(code);
    }
  });
});

/** The claims of a development token of the welfare office, as the test hub checks them. */
const welfareClaims = () => ({
  agency: AGENCIES.minaminoWelfare.id,
  iss: hub.config.auth.issuer,
  aud: hub.config.auth.audience,
});

/** `payload` signed as the test hub's development tokens are, valid five minutes. */
function signedForFiveMinutes(payload: object): Promise<string> {
  const { verify } = hub.config.auth;
  if (verify.kind !== 'secret') throw new Error('the test hub signs development tokens with a secret');
  return new SignJWT({ ...payload })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(verify.secret));
}

describe('who is calling', () => {
  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const result = await hub.query({ authorization: null }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('a 401 carries the bearer challenge (RFC 6750), with a token or without', async () => {
    for (const authorization of [undefined, 'Bearer not.a.token']) {
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query: '{ agencies { id } }' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="hub"');
    }
  });

  it('a request with no token, or under another scheme, is refused as TOKEN_MISSING', async () => {
    for (const authorization of [null, 'Basic d2VsZmFyZTpzZWNyZXQ=', 'Bearer', 'Bearer   ']) {
      const result = await hub.query({ authorization }, '{ agencies { id } }');
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
      // The refusal itself, without where the server found it.
      expect(result.errors?.[0]?.message).toBe('Send Authorization: Bearer <JWT>');
    }
  });

  it('a bearer token that is not a JWT is refused as TOKEN_INVALID, not as missing', async () => {
    for (const authorization of ['Bearer garbage', 'bearer not a jwt', 'Bearer a.b']) {
      const result = await hub.query({ authorization }, '{ agencies { id } }');
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    }
  });

  it('reads the Authorization scheme case-insensitively, as HTTP does (bearer, BEARER)', async () => {
    const token = await hub.token(AGENCIES.minaminoWelfare.id);
    for (const scheme of ['bearer', 'BEARER']) {
      const result = await hub.query({ authorization: `${scheme} ${token}` }, '{ agencies { id } }');
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    }
  });

  it('refuses an expired token', async () => {
    const token = await hub.token(AGENCIES.minaminoWelfare.id, { ttl: '-1s' as string });
    const result = await hub.query({ authorization: `Bearer ${token}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
  });

  it('refuses a token of an agency the hub does not know', async () => {
    const result = await hub.query({ agency: 'no-such-agency' }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_AGENCY' });
  });

  it.each([
    ['a NUL character', 'minamino-welfare\u0000'],
    ['a line break', 'minamino-welfare\n'],
    ['upper case', 'MINAMINO-WELFARE'],
  ])('refuses a token whose agency holds %s as of an unknown agency (401), not as an error', async (_, agency) => {
    const result = await hub.query({ agency }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_AGENCY' });
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await mintDevToken(
      { ...hub.config.auth, verify: { kind: 'secret', secret: 'not-the-hub-secret-but-long-enough-to-sign' } },
      { agency: AGENCIES.minaminoWelfare.id },
    );
    const result = await hub.query({ authorization: `Bearer ${forged}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
  });

  it.each([
    ['for another audience', { audience: 'another-system' }, 'aud'],
    ['of another issuer', { issuer: 'another-issuer' }, 'iss'],
  ])('refuses a token %s, naming in its message the claim to mend (not its value)', async (_, claim, name) => {
    const other = await mintDevToken({ ...hub.config.auth, ...claim }, { agency: AGENCIES.minaminoWelfare.id });
    const result = await hub.query({ authorization: `Bearer ${other}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    expect(result.errors?.[0]?.message).toBe(`The token is not valid: its "${name}" claim is not one the hub accepts`);
    expect(result.errors?.[0]?.message).not.toMatch(/another/);
  });

  it('refuses a token without exp, saying it has none (CLAIM_INVALID)', async () => {
    const { verify } = hub.config.auth;
    if (verify.kind !== 'secret') throw new Error('the test hub signs development tokens with a secret');
    const claims = { agency: AGENCIES.minaminoWelfare.id, iss: hub.config.auth.issuer, aud: hub.config.auth.audience };
    const unexpiring = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(verify.secret));
    const result = await hub.query({ authorization: `Bearer ${unexpiring}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    expect(result.errors?.[0]?.message).toBe('The token is not valid: it has no "exp" claim');
  });

  it('takes a token without sub as the agency system itself: exp is what the contract requires', async () => {
    const { verify } = hub.config.auth;
    if (verify.kind !== 'secret') throw new Error('the test hub signs development tokens with a secret');
    const claims = welfareClaims();
    const signed = signedForFiveMinutes;
    const result = await hub.query({ authorization: `Bearer ${await signed(claims)}` }, '{ agencies { id } }');
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    // A sub that names no one is refused, as is a token without exp.
    const blank = await hub.query(
      { authorization: `Bearer ${await signed({ ...claims, sub: ' ' })}` },
      '{ agencies { id } }',
    );
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    // So is one longer than 255 characters or holding control characters: it goes into every log entry.
    for (const sub of ['s'.repeat(256), 'staff\u0000', 'staff\u202e', '\u200b', '\u3164 ']) {
      const odd = await hub.query(
        { authorization: `Bearer ${await signed({ ...claims, sub })}` },
        '{ agencies { id } }',
      );
      expect(odd.status, JSON.stringify(sub)).toBe(401);
      expect(odd.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
    }
    const longest = await hub.query(
      { authorization: `Bearer ${await signed({ ...claims, sub: 's'.repeat(255) })}` },
      '{ agencies { id } }',
    );
    expect(longest.status).toBe(200);
    const noExp = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(verify.secret));
    const unbounded = await hub.query({ authorization: `Bearer ${noExp}` }, '{ agencies { id } }');
    expect(unbounded.status).toBe(401);
  });

  it('reads a roles claim sent as one string as that one role; a string holding a space, or a claim it cannot read, is refused', async () => {
    const claims = welfareClaims();
    const signed = signedForFiveMinutes;
    const verifyLog = '{ verifyAccessLog { intact } }';
    // An identity provider sending one role as a string; or none, as null.
    for (const roles of ['auditor']) {
      const result = await hub.query({ authorization: `Bearer ${await signed({ ...claims, roles })}` }, verifyLog);
      expect(result.errors, roles).toBeUndefined();
      expect(result.data?.['verifyAccessLog']).toMatchObject({ intact: true });
    }
    const none = await hub.query({ authorization: `Bearer ${await signed({ ...claims, roles: null })}` }, verifyLog);
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_AN_AUDITOR' });
    // None of these is one role: a string is never split ("former auditor" is not an auditor), and the token is
    // refused rather than taken without the claim.
    for (const roles of ['former auditor', 'dashboard auditor', 7, { auditor: true }, ['auditor', 1]]) {
      const result = await hub.query({ authorization: `Bearer ${await signed({ ...claims, roles })}` }, verifyLog);
      expect(result.status, JSON.stringify(roles)).toBe(401);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'CLAIM_INVALID' });
      expect(result.errors?.[0]?.message).toMatch(/"roles" claim/);
    }
  });

  it('refuses two Authorization headers, whichever comes first', async () => {
    const good = `Bearer ${await hub.token(AGENCIES.minaminoWelfare.id)}`;
    for (const pair of [
      [good, 'Bearer xxx.yyy.zzz'],
      ['Bearer xxx.yyy.zzz', good],
    ]) {
      const body = JSON.stringify({ query: '{ agencies { id } }' });
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(hub.gatewayUrl);
        // An array value sends one header line per element.
        const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', Authorization: pair };
        const req = request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(response.status, response.body).toBe(401);
      expect(JSON.parse(response.body).errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'x', agency: AGENCIES.minaminoWelfare.id, exp, iss: 'hub-dev', aud: 'hub' })}.`;
    const result = await hub.query({ authorization: `Bearer ${unsigned}` }, '{ agencies { id } }');
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

describe('bad input', () => {
  it('answers malformed GraphQL with 400 and a parse error', async () => {
    const result = await hub.query(welfareAgency, '{ agencies { id ');
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a malformed id with BAD_USER_INPUT and no SQL detail', async () => {
    const result = await hub.query(welfareAgency, '{ person(id: "not-a-uuid") { name } }');
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'id',
      reason: 'INVALID_ID',
    });
    expect(JSON.stringify(result.errors)).not.toMatch(/select|uuid\[\]|postgres/i);
  });

  it('answers an unknown person id with null', async () => {
    const result = await hub.query(welfareAgency, '{ person(id: "00000000-0000-4000-8000-000000000000") { name } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ person: null });
  });

  it('refuses a body over the size limit with 413', async () => {
    const token = await hub.token(AGENCIES.minaminoWelfare.id);
    const response = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ agencies { id } } # ${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('changes nothing when a mutation is refused', async () => {
    const before = await hub.query<{ person: { consultations: unknown[] } }>(
      welfareAgency,
      '{ person(id: "' + residentId('kato') + '") { consultations { id } } }',
    );
    const refused = await hub.query(
      welfareAgency,
      /* GraphQL */ `mutation { openCase(input: { personId: "${residentId('kato')}", issues: [] }) { id } }`,
    );
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const after = await hub.query<{ person: { consultations: unknown[] } }>(
      welfareAgency,
      '{ person(id: "' + residentId('kato') + '") { consultations { id } cases { id } } }',
    );
    expect(after.data!.person.consultations).toEqual(before.data!.person.consultations);
    expect((after.data!.person as unknown as { cases: unknown[] }).cases).toEqual([]);
  });
});

describe('the public catalogues, page by page', () => {
  const reader = { agency: AGENCIES.minaminoSilver.id };

  /** The ids of one page of `field` (with its filter `args`), or the refusal. */
  const page = async (field: string, args: Record<string, unknown>, first: number, after?: string) => {
    const declared = Object.keys(args).map((name) => `$${name}: ${ARGUMENT_TYPES[name]}`);
    const passed = Object.keys(args).map((name) => `${name}: $${name}`);
    const result = await hub.query<Record<string, { id: string }[]>>(
      reader,
      `query (${['$first: Int', '$after: ID', ...declared].join(', ')}) {
        ${field}(${['first: $first', 'after: $after', ...passed].join(', ')}) { id }
      }`,
      { ...args, first, after },
    );
    return { ids: result.data?.[field]?.map((item) => item.id), errors: result.errors };
  };
  const ARGUMENT_TYPES: Record<string, string> = {
    workStyle: 'WorkStyle',
    diverseOnly: 'Boolean',
    outdoor: 'Boolean',
    prefecture: 'String',
    agencyId: 'ID',
    channel: 'CounselingChannel',
    kind: 'EcoProjectKind',
    openOnly: 'Boolean',
  };

  /** Every item of the list, walked `first` at a time, each page after the last id of the one before. */
  const walk = async (field: string, args: Record<string, unknown>, first: number) => {
    const walked: string[] = [];
    for (let pages = 0; pages < 500; pages += 1) {
      const { ids, errors } = await page(field, args, first, walked.at(-1));
      expect(errors, JSON.stringify(errors)).toBeUndefined();
      walked.push(...ids!);
      if (ids!.length < first) return walked;
    }
    throw new Error(`${field} did not end`);
  };

  it.each([
    ['jobOpenings', {}, 5],
    ['jobOpenings', { diverseOnly: true }, 3],
    ['jobOpenings', { workStyle: 'SHORT_HOURS' }, 2],
    ['workOffers', {}, 3],
    ['workOffers', { outdoor: true }, 2],
    ['lifelongCouncils', {}, 25],
    ['lifelongCouncils', { prefecture: '北海道' }, 2],
    ['counselingWindows', {}, 1],
    ['counselingWindows', { channel: 'PHONE' }, 1],
    ['ecoProjects', {}, 2],
    ['participationOpportunities', {}, 3],
    ['participationOpportunities', { outdoor: false, openOnly: true }, 2],
  ] as const)(
    'after the last id of a page gives the next, to the end: %s %j walked %i at a time lists each item once, in order',
    async (field, args, first) => {
      const whole = await page(field, args, 200);
      expect(whole.errors, JSON.stringify(whole.errors)).toBeUndefined();
      expect(whole.ids!.length).toBeGreaterThan(first);
      expect(await walk(field, args, first)).toEqual(whole.ids);
    },
  );

  it('items with the same name are each listed once, ordered by id among themselves', async () => {
    const kokoro = AGENCIES.minaminoKokoro.id;
    const ids = [
      '00000000-0000-4000-8000-0000000000c3',
      '00000000-0000-4000-8000-0000000000c1',
      '00000000-0000-4000-8000-0000000000c2',
    ];
    for (const id of ids) {
      await db.sql`
        insert into suicide_prevention.counseling_window (id, name, agency_id, phone_hours, channels)
        values (${id}, 'みなみ野市 同名の相談窓口', ${kokoro}, '平日', ${['PHONE']})`;
    }
    const whole = await page('counselingWindows', {}, 200);
    const same = whole.ids!.filter((id) => ids.includes(id));
    expect(same).toEqual([...ids].sort());
    expect(await walk('counselingWindows', {}, 1)).toEqual(whole.ids);
  });

  it('an after not of the list (another list’s, one its filter leaves out, none at all) is INVALID_CURSOR, never an empty page', async () => {
    const indoor = (await page('workOffers', { outdoor: false }, 1)).ids![0]!;
    const opening = (await page('jobOpenings', {}, 1)).ids![0]!;
    const nonDiverse = (await page('jobOpenings', { workStyle: 'FULL_TIME' }, 1)).ids![0]!;
    const sns = (await page('counselingWindows', { channel: 'SNS' }, 1)).ids![0]!;
    const project = (await page('ecoProjects', {}, 1)).ids![0]!;
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, Record<string, unknown>, string][] = [
      ['workOffers', { outdoor: true }, indoor],
      ['workOffers', {}, opening],
      ['jobOpenings', { diverseOnly: true }, nonDiverse],
      ['jobOpenings', {}, nobody],
      ['lifelongCouncils', {}, opening],
      ['counselingWindows', { channel: 'PHONE' }, sns],
      ['ecoProjects', {}, 'x'],
      ['participationOpportunities', {}, project],
    ];
    for (const [field, args, after] of cases) {
      const { errors } = await page(field, args, 2, after);
      expect({ field, after, extensions: errors?.[0]?.extensions }).toMatchObject({
        field,
        after,
        extensions: { code: 'BAD_USER_INPUT', argument: 'after', reason: 'INVALID_CURSOR' },
      });
    }
  });
});

describe('health and readiness', () => {
  const base = () => hub.gatewayUrl.replace(/\/graphql$/, '');

  it('answers /healthz and /readyz when every subgraph and the database are up', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ok: true,
      database: true,
      subgraphs: { welfare: true, employment: true },
    });
  });

  // Last in this file: it stops a subgraph.
  it('reports not ready, naming the subgraph, when one subgraph is down', async () => {
    await hub.subgraphs.employment.close();
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ok: false,
      database: true,
      subgraphs: { employment: false, welfare: true },
    });
  });
});
