// Every part as possibly down: a subgraph that drops, stalls or is gone, a database that is gone, a
// gateway that shuts down mid-request. The client gets the rest of the answer and a clear, masked error.

import { createServer as createHttpServer } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '@hub/gateway/server';
import {
  AGENCIES,
  createLogger,
  residentId,
  SIGNATURE_HEADER,
  type HubConfig,
  type Logger,
  type SubgraphName,
} from '@hub/platform';
import { captureLogs } from './support/logs.js';
import { grantConsent, readAccessLog } from './support/bases.js';
import { openDvCase, supportedChild } from './support/dv.js';
import { startDatabaseProxy, startSubgraphProxy, type SubgraphProxy } from './support/faults.js';
import { startGatewayReplica, useConnection, useTestHub, type GraphQLResponse } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();
const database = useConnection(hub, 'faults');

const helloWork = AGENCIES.helloWorkMinamino.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const takahashi = residentId('takahashi'); // a registered job seeker, enrolled in a place to participate

interface PersonParts {
  person: { id: string; name: string | null; jobSeeker: { desiredWork: string } | null; enrollments: unknown[] | null };
}

const PERSON_PARTS = /* GraphQL */ `
  query PersonParts($id: ID!) {
    person(id: $id) {
      id
      name
      jobSeeker {
        desiredWork
      }
      enrollments {
        status
      }
    }
  }
`;

const REGISTER_JOB_SEEKER = /* GraphQL */ `
  mutation ($input: RegisterJobSeekerInput!) {
    registerJobSeeker(input: $input) {
      id
    }
  }
`;

/** What a client must never see: addresses, socket error names, stack traces. */
const INTERNALS = /127\.0\.0\.1|localhost|ECONNREFUSED|ECONNRESET|fetch failed|stacktrace|at .*\.js/;

async function post<T>(url: string, agency: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.token(agency)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) } as GraphQLResponse<T>;
}

const extraGateways: RunningGateway[] = [];
const proxies: SubgraphProxy[] = [];
afterEach(async () => {
  await Promise.all(extraGateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

/** A second gateway on the test hub's subgraphs, reaching `employment` (or `subgraph`) through a proxy that can fail. */
async function gatewayWithFaultyEmployment(
  options: {
    subgraphFetch?: HubConfig['subgraphFetch'];
    databaseUrl?: string;
    subgraph?: SubgraphName;
    logger?: Logger;
    /** The URL the gateway is given for the faulty subgraph, made from the proxy's: its /graphql unless set. */
    url?: (proxy: SubgraphProxy) => string;
  } = {},
): Promise<{ gateway: RunningGateway; proxy: SubgraphProxy }> {
  const faulty = options.subgraph ?? 'employment';
  const proxy = await startSubgraphProxy(hub.subgraphs[faulty].url);
  proxies.push(proxy);
  const gateway = await startGateway({
    config: { ...hub.config, subgraphFetch: options.subgraphFetch ?? hub.config.subgraphFetch },
    databaseUrl: options.databaseUrl ?? hub.database.url,
    logger: options.logger ?? createLogger('test', 'silent'),
    subgraphUrls: {
      ...Object.fromEntries(Object.entries(hub.subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
      [faulty]: options.url?.(proxy) ?? proxy.url,
    },
    port: 0,
  });
  extraGateways.push(gateway);
  return { gateway, proxy };
}

beforeAll(async () => {
  await grantConsent(hub, collaborator, {
    personId: takahashi,
    recipientAgencyIds: [helloWork],
    categories: ['IDENTITY', 'ENVIRONMENT_PARTICIPATION'],
  });
});

const dvCentre = AGENCIES.midoriDvCentre.id;
const destination = AGENCIES.higashiyamaDv.id;

/** A resident of みなみ野 whose DV case the DV centre holds, with her consent to move it to ひがし山's DV office. */
async function dvCaseReadyToMove(): Promise<string> {
  const person = await registerResident(hub, AGENCIES.minaminoWelfare.id);
  await openDvCase(hub, dvCentre, person, '990001');
  await grantConsent(hub, dvCentre, {
    personId: person,
    recipientAgencyIds: [destination],
    categories: ['DV', 'DV_LOCATION'],
  });
  return person;
}

describe('a subgraph fetch that fails', () => {
  it('retries a query once, signed anew, when its first connection drops', async () => {
    const { gateway, proxy } = await gatewayWithFaultyEmployment();
    proxy.dropNext(1);
    const result = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });

    expect(result.errors).toBeUndefined();
    expect(result.data!.person.jobSeeker?.desiredWork).toBeTruthy();
    expect(proxy.posts).toHaveLength(2);
    expect(hub.received('employment')).toHaveLength(1);
    const [first, second] = proxy.posts.map((p) => p.headers[SIGNATURE_HEADER]);
    expect(first).toBeTruthy();
    expect(second).not.toBe(first);
  });

  it('never repeats a mutation', async () => {
    const { gateway, proxy } = await gatewayWithFaultyEmployment();
    proxy.dropNext(1);
    const result = await post(gateway.url, helloWork, REGISTER_JOB_SEEKER, {
      input: { personId: residentId('ito'), desiredWork: '清掃', preferredWorkStyles: ['SHORT_HOURS'] },
    });

    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(result.errors![0]!.extensions!['serviceName']).toBe('employment');
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    expect(proxy.posts).toHaveLength(1);
    expect(hub.received('employment')).toHaveLength(0);
  });

  it("refuses a consent SERVICE_UNAVAILABLE when the recording agency's own records cannot be read, not NO_RELATIONSHIP", async () => {
    const person = await registerResident(hub, collaborator);
    const registered = await post(hub.gatewayUrl, helloWork, REGISTER_JOB_SEEKER, {
      input: { personId: person, desiredWork: '清掃', preferredWorkStyles: ['SHORT_HOURS'] },
    });
    expect(registered.errors).toBeUndefined();
    const { gateway, proxy } = await gatewayWithFaultyEmployment();
    proxy.dropNext(10);
    const result = await post(
      gateway.url,
      helloWork,
      /* GraphQL */ `
        mutation ($input: GrantConsentInput!) {
          grantConsent(input: $input) {
            id
          }
        }
      `,
      {
        input: {
          personId: person,
          recipientAgencyIds: [collaborator],
          categories: ['EMPLOYMENT'],
          purpose: '就労支援の状況共有',
          validFrom: new Date().toISOString(),
          validUntil: '2100-01-01T00:00:00.000Z',
          method: 'WRITTEN',
          evidenceRef: 'FAULTS-RELATIONSHIP',
        },
      },
    );

    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
  });

  it('stops a mutation at a field whose subgraph could not be reached: the fields after it are not sent', async () => {
    const { gateway, proxy } = await gatewayWithFaultyEmployment();
    proxy.dropNext(1);
    const report = (alias: string) => /* GraphQL */ `
      ${alias}: recordAbuseReport(
        input: { personId: $p, kind: NEGLECT, urgency: PROMPT, receivingAgencyId: "minamino-kodomo" }
      ) {
        receiptNumber
      }`;
    const result = await post(
      gateway.url,
      helloWork,
      /* GraphQL */ `
        mutation ($p: ID!, $input: RegisterJobSeekerInput!) {
          ${report('before')}
          seeker: registerJobSeeker(input: $input) {
            id
          }
          ${report('after')}
        }
      `,
      {
        p: residentId('ito'),
        input: { personId: residentId('ito'), desiredWork: '清掃', preferredWorkStyles: ['SHORT_HOURS'] },
      },
    );

    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(proxy.posts).toHaveLength(1);
    expect(hub.received('child-dv')).toHaveLength(1);
  });

  it('refuses a DV transfer SERVICE_UNAVAILABLE when child-dv cannot say who holds her case: nothing decided, logged or sent', async () => {
    const person = await dvCaseReadyToMove();
    const logged = (await readAccessLog(hub, person)).length;
    const logs = captureLogs('warn');
    const { gateway, proxy } = await gatewayWithFaultyEmployment({ subgraph: 'child-dv', logger: logs.logger });
    proxy.dropNext(2);
    const result = await post<{ transferDvCase: unknown }>(
      gateway.url,
      dvCentre,
      'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }',
      { input: { personId: person, toAgencyId: destination } },
    );
    expect(result.data?.transferDvCase ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    expect(proxy.posts.map((p) => p.body).filter((body) => body.includes('transferDvCase'))).toEqual([]);
    expect((await readAccessLog(hub, person)).length).toBe(logged);
    // The operator is told why: which read of which subgraph failed, and nothing of the person.
    const failed = logs.lines.filter((line) => line['msg'] === "the hub's own read failed");
    expect(failed).toContainEqual(expect.objectContaining({ subgraph: 'child-dv', read: 'HubDvCaseHolder' }));
    expect(JSON.stringify(logs.lines)).not.toContain(person);
  });

  it("refuses a person's disclosure view SERVICE_UNAVAILABLE when child-dv cannot say when she was protected: nothing of it is shown", async () => {
    const person = await registerResident(hub, AGENCIES.minaminoWelfare.id);
    const logs = captureLogs('warn');
    const { gateway, proxy } = await gatewayWithFaultyEmployment({ subgraph: 'child-dv', logger: logs.logger });
    // Its database down, child-dv answers the hub's read with an error and no data.
    proxy.rewrite = () => ({ data: null, errors: [{ message: 'Internal server error' }] });
    const result = await post<{ accessLog: unknown }>(
      gateway.url,
      AGENCIES.minaminoWelfare.id,
      'query ($p: ID!) { accessLog(personId: $p) { edges { node { id } } } }',
      { p: person },
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    const failed = logs.lines.filter((line) => line['msg'] === "the hub's own read failed");
    expect(failed).toContainEqual(expect.objectContaining({ subgraph: 'child-dv', read: 'HubProtectionPeriods' }));
    expect(JSON.stringify(logs.lines)).not.toContain(person);
  });

  it('a DV transfer its agency system gets after the gateway stopped waiting is not written: her case stays where it was', async () => {
    const person = await dvCaseReadyToMove();
    const { gateway, proxy } = await gatewayWithFaultyEmployment({
      subgraph: 'child-dv',
      subgraphFetch: { timeoutMs: 1_000, retries: 1 },
    });
    // Only the transfer is held up in transit, beyond the gateway's wait; the read of who holds her case is not.
    proxy.delayMs = 2_000;
    proxy.delayWhen = (body) => body.includes('transferDvCase');
    const TRANSFER = 'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }';
    const result = await post(gateway.url, dvCentre, TRANSFER, {
      input: { personId: person, toAgencyId: destination },
    });
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'child-dv'],
    ]);
    // The proxy forwards it a second later: child-dv refuses to commit what the gateway gave up on.
    await sleep(2_500);
    const held = await hub.query<{ person: { dvCase: { agencyId: string } } }>(
      { agency: dvCentre },
      `{ person(id: "${person}") { dvCase { agencyId } } }`,
    );
    expect(held.data!.person.dvCase.agencyId).toBe(dvCentre);
    const registered = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: AGENCIES.minaminoWelfare.id },
      `{ person(id: "${person}") { municipalityCode } }`,
    );
    expect(registered.data!.person.municipalityCode).toBe('990001');
    // Sent again, it moves her case, and the register with it.
    proxy.delayMs = 0;
    const again = await post<{ transferDvCase: { agencyId: string } }>(gateway.url, dvCentre, TRANSFER, {
      input: { personId: person, toAgencyId: destination },
    });
    expect(again.errors).toBeUndefined();
    expect(again.data!.transferDvCase.agencyId).toBe(destination);
  });

  it('a DV transfer whose answer is lost on its way back: the register asks child-dv who holds her case, and learns the move, of the child who went with her too', async () => {
    const person = await dvCaseReadyToMove();
    const child = await supportedChild(hub, dvCentre);
    await grantConsent(hub, dvCentre, {
      personId: child,
      recipientAgencyIds: [destination],
      categories: ['DV', 'DV_LOCATION'],
      method: 'GUARDIAN',
      guardianName: '試験 母',
    });
    const { gateway, proxy } = await gatewayWithFaultyEmployment({
      subgraph: 'child-dv',
      subgraphFetch: { timeoutMs: 1_000, retries: 1 },
    });
    // child-dv commits at once; its answer is held up beyond the gateway's wait.
    proxy.answerDelayMs = 2_000;
    proxy.delayWhen = (body) => body.includes('transferDvCase');
    const result = await post(
      gateway.url,
      dvCentre,
      'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }',
      { input: { personId: person, toAgencyId: destination, accompanyingPersonIds: [child] } },
    );
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'child-dv'],
    ]);
    // The town she left serves her no more: her child-DV office is answered as for an id that names no one.
    const left = await hub.query(
      { agency: AGENCIES.minaminoChildSupport.id },
      `{ person(id: "${person}") { dvCase { agencyId } } }`,
    );
    expect(left.errors).toBeUndefined();
    expect(left.data).toEqual({ person: null });
    const arrived = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: AGENCIES.higashiyamaWelfare.id },
      `{ person(id: "${person}") { municipalityCode } }`,
    );
    expect(arrived.data!.person.municipalityCode).toBe('990002');
    const childArrived = await hub.query<{ person: { municipalityCode: string } }>(
      { agency: AGENCIES.higashiyamaWelfare.id },
      `{ person(id: "${child}") { municipalityCode } }`,
    );
    expect(childArrived.data!.person.municipalityCode).toBe('990002');
  });

  it('a registration its welfare system gets after the gateway stopped waiting is not written: no person the register never learns', async () => {
    const { gateway, proxy } = await gatewayWithFaultyEmployment({
      subgraph: 'welfare',
      subgraphFetch: { timeoutMs: 1_000, retries: 1 },
    });
    proxy.delayMs = 2_000;
    proxy.delayWhen = (body) => body.includes('registerPerson');
    const name = `遅延 ${Date.now()}`;
    const result = await post(
      gateway.url,
      AGENCIES.minaminoWelfare.id,
      'mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }',
      { input: { name, nameKana: 'チエン', birthDate: '1980-01-01', municipalityCode: '990001' } },
    );
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'welfare'],
    ]);
    await sleep(2_500);
    expect(await database.sql`select 1 from welfare.person where name = ${name}`).toHaveLength(0);
  });

  it('names a subgraph whose URL answers a client error (a wrong path: 404) SERVICE_UNAVAILABLE, not an internal error', async () => {
    const logs = captureLogs('warn');
    const { gateway, proxy } = await gatewayWithFaultyEmployment({
      // A URL may carry a login (user:password@): the log names the address, never the password.
      url: (proxy) => proxy.url.replace('http://', 'http://gateway:s3cret@').replace(/\/graphql$/, '/nothing-here'),
      logger: logs.logger,
    });
    const result = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });

    expect(result.status).toBe(200);
    expect(result.data!.person).toMatchObject({ id: takahashi, jobSeeker: null });
    expect(result.data!.person.name).toBeTruthy();
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'employment'],
    ]);
    // Outside production the engineer wiring it is told what to look at: the URL answers, but not as a subgraph.
    expect(result.errors?.[0]?.extensions?.['reason']).toBe('SUBGRAPH_UNREACHABLE');
    expect(result.errors?.[0]?.message).toMatch(
      /The EMPLOYMENT subgraph answered HTTP 404 at the URL the gateway has for it/,
    );
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'subgraph unavailable',
        domain: 'EMPLOYMENT',
        status: 404,
        url: expect.stringMatching(/^http:\/\/gateway:\*\*\*@127\.0\.0\.1:\d+\/nothing-here$/),
      }),
    );
    expect(JSON.stringify(logs.lines)).not.toContain('s3cret');
    expect(proxy.posts).toHaveLength(0);
  });

  it('names a subgraph whose URL answers 200 with something that is no GraphQL response SERVICE_UNAVAILABLE, not an internal error, and /readyz says so', async () => {
    let answer: { status: number; type: string; body: string } = { status: 200, type: 'text/html', body: '' };
    const page = createHttpServer((_req, res) => {
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = page.address() as AddressInfo;
      const { gateway } = await gatewayWithFaultyEmployment({ url: () => `http://127.0.0.1:${port}/graphql` });
      const json = 'application/json';
      // A web page, and JSON that is no GraphQL response: a health endpoint's, an empty object, data of no
      // object, no data without errors, errors that are no GraphQL errors (as a 400 too).
      const answers = [
        { status: 200, type: 'text/html', body: '<!doctype html><title>not a subgraph</title>' },
        { status: 200, type: json, body: '{}' },
        { status: 200, type: json, body: '{"status":"ok"}' },
        { status: 200, type: json, body: '{"data":null}' },
        { status: 200, type: json, body: '{"errors":[]}' },
        { status: 200, type: json, body: '{"data":"a string"}' },
        { status: 200, type: json, body: '{"data":null,"errors":"x"}' },
        { status: 200, type: json, body: '{"data":null,"errors":[{"code":1}]}' },
        { status: 400, type: json, body: '{"errors":["bad"]}' },
      ];
      for (const given of answers) {
        answer = given;
        const result = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });
        const detail = JSON.stringify(given);
        expect(result.status, detail).toBe(200);
        expect(result.data!.person, detail).toMatchObject({ id: takahashi, jobSeeker: null });
        expect(
          result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName'], e.extensions?.['reason']]),
          detail,
        ).toEqual([['SERVICE_UNAVAILABLE', 'employment', 'SUBGRAPH_UNREACHABLE']]);
        expect(result.errors?.[0]?.message, detail).toMatch(
          given.status === 200
            ? /The EMPLOYMENT subgraph answered something that is no GraphQL response/
            : /The EMPLOYMENT subgraph answered HTTP 400/,
        );
        expect(JSON.stringify(result), detail).not.toMatch(INTERNALS);

        // Readiness asks the same of it: a URL that answers, but not as a subgraph, is not ready.
        const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
        expect(ready.status, detail).toBe(503);
        expect(await ready.json(), detail).toMatchObject({ problems: { employment: 'NOT_A_SUBGRAPH' } });
      }
    } finally {
      await new Promise((resolve) => page.close(resolve));
    }
  });

  it('gives up a subgraph slower than SUBGRAPH_TIMEOUT_MS and serves the rest; the log names the address it waited on', async () => {
    const logs = captureLogs('warn');
    const { gateway, proxy } = await gatewayWithFaultyEmployment({
      subgraphFetch: { timeoutMs: 300, retries: 1 },
      logger: logs.logger,
    });
    proxy.delayMs = 3_000;
    const started = Date.now();
    const result = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });

    expect(Date.now() - started).toBeLessThan(2_500);
    expect(result.status).toBe(200);
    expect(result.data!.person).toMatchObject({ id: takahashi, jobSeeker: null });
    expect(result.data!.person.name).toBeTruthy();
    expect(result.data!.person.enrollments?.length).toBeGreaterThan(0);
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'employment'],
    ]);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
    // A time-out is not retried: the subgraph may still be working on the first attempt.
    expect(proxy.posts).toHaveLength(1);
    // The client is not told where the subgraph is; the operator is.
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ msg: 'subgraph unavailable', domain: 'EMPLOYMENT', url: proxy.url }),
    );
  });
});

describe('shutting the gateway down', () => {
  it('finishes a request in flight and refuses new connections', async () => {
    const { gateway, proxy } = await gatewayWithFaultyEmployment();
    proxy.delayMs = 1_000;
    const inFlight = post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });
    await proxy.nextPost();

    const closing = gateway.close();
    const refused = await new Promise<string>((resolve) => {
      const socket = connectTcp(gateway.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    const result = await inFlight;
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.jobSeeker?.desiredWork).toBeTruthy();
    await closing;
  });
});

describe("a database error in the hub's own records", () => {
  it('reaches the client masked (INTERNAL_SERVER_ERROR, no SQL), as an agency subgraph masks its own', async () => {
    await database.sql.unsafe('alter table hub.referral rename to referral_moved_away');
    try {
      const result = await post(hub.gatewayUrl, collaborator, '{ referralsReceived { id } }');
      expect(result.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([
        ['Internal server error', 'INTERNAL_SERVER_ERROR'],
      ]);
      expect(JSON.stringify(result)).not.toMatch(/relation|referral_|hub\.|does not exist/);
    } finally {
      await database.sql.unsafe('alter table hub.referral_moved_away rename to referral');
    }
    const again = await post(hub.gatewayUrl, collaborator, '{ referralsReceived { id } }');
    expect(again.errors).toBeUndefined();
  });
});

describe('the hub database down', () => {
  it('fails /readyz and answers requests 503 SERVICE_UNAVAILABLE, without internals; /healthz says the process is up', async () => {
    const database = await startDatabaseProxy(hub.database.url);
    const { gateway } = await gatewayWithFaultyEmployment({ databaseUrl: database.url });
    const before = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });
    expect(before.errors).toBeUndefined();

    await database.cut();
    const ready = await fetch(gateway.url.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: false, problems: { database: 'UNREACHABLE' } });
    // Liveness is the process's, not its dependencies': an orchestrator must not restart it for the database.
    expect((await fetch(gateway.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);

    const result = await post<PersonParts>(gateway.url, helloWork, PERSON_PARTS, { id: takahashi });
    expect(result.status).toBe(503);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['SERVICE_UNAVAILABLE']);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);
  });
});

describe('a hub database whose logins close as soon as they are made', () => {
  it('fails /readyz within its probe time, as the subgraphs’ probes are bounded: the pool’s retries are not waited for', async () => {
    const database = await startDatabaseProxy(hub.database.url);
    const { gateway } = await gatewayWithFaultyEmployment({ databaseUrl: database.url });
    const readyz = gateway.url.replace(/\/graphql$/, '/readyz');
    expect((await fetch(readyz)).status).toBe(200);

    database.closeLogins();
    const started = performance.now();
    const ready = await fetch(readyz);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, database: false, problems: { database: 'UNREACHABLE' } });
    expect(performance.now() - started).toBeLessThan(10_000);
    await database.cut();
  });
});

describe('the access log out of use', () => {
  /** Runs `during` while another session holds `mode` on the access log, and releases the lock after it. */
  async function whileLocked<T>(mode: string, during: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = database.sql.begin(async (tx) => {
      await tx.unsafe(`lock table hub.audit_log in ${mode} mode`);
      locked();
      await released;
    });
    try {
      await isLocked;
      return await during();
    } finally {
      release();
      await holder;
    }
  }

  /** How many lock requests on the access log wait behind its holder. */
  const waitingForTheLog = async () =>
    (
      await database.sql<{ waiting: number }[]>`
        select count(*)::int as waiting from pg_locks where not granted and relation = 'hub.audit_log'::regclass`
    )[0]!.waiting;

  // A lock held by another session needs a second backend: the embedded database runs one.
  it.skipIf(!process.env['DATABASE_URL']).each(['access exclusive', 'exclusive', 'share'])(
    'fails /readyz while the access log is locked against appends (%s mode), naming it (not the database as out of reach); a burst of probes shares one, and none is left queued',
    async (mode) => {
      const readyz = hub.gatewayUrl.replace(/\/graphql$/, '/readyz');
      await whileLocked(mode, async () => {
        // More at once than the gateway's pool has connections (8).
        const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(readyz)));
        for (const ready of answers) {
          expect(ready.status).toBe(503);
          expect(await ready.json()).toMatchObject({
            ok: false,
            database: false,
            problems: { database: 'ACCESS_LOG_LOCKED' },
          });
        }
        // The probe gave up its wait for the lock: nothing of it is left queued behind the lock's holder.
        expect(await waitingForTheLog()).toBe(0);
      });
      expect((await fetch(readyz)).status).toBe(200);
    },
  );

  it.skipIf(!process.env['DATABASE_URL'])(
    'fails a checkpoint while the access log is locked against reads, within its lock timeout, leaving nothing queued; the next one is written once the lock goes',
    async () => {
      await whileLocked('access exclusive', async () => {
        const stillWaiting = new Promise<string>((resolve) => setTimeout(resolve, 15_000, 'still waiting'));
        const outcome = await Promise.race([
          hub.gateway.checkpointAccessLog().then(
            () => 'written',
            (error: unknown) => (error as { code?: string }).code,
          ),
          stillWaiting,
        ]);
        expect(outcome).toBe('55P03');
        expect(await waitingForTheLog()).toBe(0);
      });
      expect(await hub.gateway.checkpointAccessLog()).toMatchObject({ written: true });
    },
    30_000,
  );

  it.skipIf(!process.env['DATABASE_URL'])(
    'starts a gateway while the access log is locked against reads: its first checkpoint is tried again later, not a crash',
    async () => {
      const replica = await whileLocked('access exclusive', () => startGatewayReplica(hub));
      try {
        expect(await replica.checkpointAccessLog()).toMatchObject({ written: true });
      } finally {
        await replica.close();
      }
    },
    40_000,
  );

  it('fails /readyz while the access log cannot be read, naming it; ready again once it can', async () => {
    const readyz = hub.gatewayUrl.replace(/\/graphql$/, '/readyz');
    await database.sql.unsafe('alter table hub.audit_log rename to audit_log_aside');
    try {
      const ready = await fetch(readyz);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        ok: false,
        database: false,
        problems: { database: 'ACCESS_LOG_UNREADABLE' },
      });
    } finally {
      await database.sql.unsafe('alter table hub.audit_log_aside rename to audit_log');
    }
    expect((await fetch(readyz)).status).toBe(200);
  });
});

describe('extensions.serviceName is the outage signal: on a subgraph that failed, on no other error', () => {
  it('a refusal the gateway makes before sending, a denial and a subgraph’s own refusal name no subgraph', async () => {
    const ids = Array.from({ length: 1_001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const cases: [string, Promise<GraphQLResponse<unknown>>][] = [
      // The rule checks the co-assessor in the gateway: suicide-prevention receives no request.
      [
        'BAD_USER_INPUT',
        hub.query(
          { agency: collaborator },
          'mutation ($input: RecordJointScreeningInput!) { recordJointScreening(input: $input) { id } }',
          {
            input: { personId: takahashi, coAssessorAgencyId: AGENCIES.minaminoWelfare.id, level: 'LOW', signs: [] },
          },
        ),
      ],
      [
        'BAD_USER_INPUT',
        hub.query({ agency: collaborator }, 'query ($ids: [ID!]!) { people(ids: $ids) { id } }', { ids }),
      ],
      ['FORBIDDEN', hub.query({ agency: helloWork }, `{ person(id: "${takahashi}") { riskAssessments { note } } }`)],
      ['FORBIDDEN', hub.query({ agency: helloWork }, '{ urgentReports { id } }')],
      // child-dv's own answer to a report that does not exist.
      [
        'NOT_FOUND',
        hub.query(
          { agency: AGENCIES.midoriChildGuidance.id },
          'mutation { triageAbuseReport(input: { reportId: "00000000-0000-4000-8000-000000000000", status: CLOSED }) { id } }',
        ),
      ],
    ];
    for (const [code, answer] of cases) {
      const result = await answer;
      const detail = JSON.stringify(result.errors);
      expect(
        result.errors?.map((e) => e.extensions?.['code']),
        detail,
      ).toEqual([code]);
      expect(
        result.errors?.map((e) => e.extensions?.['serviceName']),
        detail,
      ).toEqual([undefined]);
    }
  });
});

// Last in this file: it stops the test hub's employment subgraph for good.
describe('a subgraph down', () => {
  it('serves the other subgraphs’ data with one masked SERVICE_UNAVAILABLE error for the missing part', async () => {
    await hub.subgraphs.employment.close();
    const result = await hub.query<PersonParts>({ agency: helloWork }, PERSON_PARTS, { id: takahashi });

    expect(result.status).toBe(200);
    expect(result.data!.person).toMatchObject({ id: takahashi, jobSeeker: null });
    expect(result.data!.person.name).toBeTruthy();
    expect(result.data!.person.enrollments?.length).toBeGreaterThan(0);
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toEqual([
      ['SERVICE_UNAVAILABLE', 'employment'],
    ]);
    // Outside production the one wiring the subgraph is told what to look at (its address stays in the log).
    expect(result.errors?.[0]?.extensions?.['reason']).toBe('SUBGRAPH_UNREACHABLE');
    expect(result.errors?.[0]?.message).toMatch(/The EMPLOYMENT subgraph could not be reached/);
    expect(JSON.stringify(result)).not.toMatch(INTERNALS);

    const ready = await fetch(hub.gatewayUrl.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ok: false,
      database: true,
      subgraphs: { employment: false },
      problems: { employment: 'UNREACHABLE' },
    });
  });
});
