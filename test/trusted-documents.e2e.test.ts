// Trusted documents: with TRUSTED_DOCUMENTS set, only the registered operations run, by hash or by
// their exact text; anything else is refused with 400 before it is parsed, and no subgraph is asked.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENCIES, SUBGRAPH_NAMES, residentId } from '@hub/platform';
import { documentHash } from '@hub/gateway/limits';
import { useTestHub, type GraphQLResponse } from './support/hub.js';

const personName = /* GraphQL */ `
  query PersonName($id: ID!) {
    person(id: $id) {
      name
    }
  }
`;
const manifest = join(mkdtempSync(join(tmpdir(), 'hub-trusted-')), 'trusted-documents.json');
writeFileSync(manifest, JSON.stringify({ [documentHash(personName)]: personName }));

const hub = useTestHub({ limits: { trustedDocuments: manifest } });
const son = residentId('yamada-son');

async function post(body: Record<string, unknown>): Promise<GraphQLResponse> {
  const token = await hub.token(AGENCIES.minaminoCollaborator.id);
  const response = await fetch(hub.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

function persisted(sha256Hash: string) {
  return { persistedQuery: { version: 1, sha256Hash } };
}

function expectNothingAsked(): void {
  for (const name of SUBGRAPH_NAMES) expect(hub.received(name), name).toEqual([]);
}

describe('trusted documents', () => {
  it('runs a registered operation named by its sha256 alone', async () => {
    const result = await post({ variables: { id: son }, extensions: persisted(documentHash(personName)) });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ person: { name: '山田 健太' } });
  });

  it('runs a registered operation sent as its exact text', async () => {
    const result = await post({ query: personName, variables: { id: son } });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ person: { name: '山田 健太' } });
  });

  it('runs a registered operation sent without the white space it ends with, or with more: what GraphQL ignores', async () => {
    for (const query of [personName.trimEnd(), `${personName}\r\n\n`, `\uFEFF${personName.trimEnd()}  `]) {
      const result = await post({ query, variables: { id: son } });
      expect(result.errors, JSON.stringify(query)).toBeUndefined();
      expect(result.data).toEqual({ person: { name: '山田 健太' } });
    }
  });

  it('refuses an unregistered operation with PERSISTED_QUERY_NOT_FOUND, before any subgraph is asked', async () => {
    const before = hub.statements();
    const result = await post({ query: '{ person(id: "' + son + '") { name household { flags } } }' });
    expect(result.status).toBe(400);
    expect(result.data ?? undefined).toBeUndefined();
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
      reason: 'DOCUMENT_NOT_TRUSTED',
    });
    expectNothingAsked();
    const after = hub.statements();
    expect({ ...after, gateway: 0 }).toEqual({ ...before, gateway: 0 });
  });

  it('refuses an unknown hash, and does not let automatic persisted queries register one', async () => {
    const query = '{ agencies { id } }';
    const registering = await post({ query, extensions: persisted(documentHash(query)) });
    expect(registering.status).toBe(400);
    expect(registering.errors?.[0]?.extensions).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND' });
    const replayed = await post({ extensions: persisted(documentHash(query)) });
    expect(replayed.status).toBe(400);
    expect(replayed.errors?.[0]?.extensions).toMatchObject({
      code: 'PERSISTED_QUERY_NOT_FOUND',
      reason: 'DOCUMENT_NOT_TRUSTED',
    });
    expectNothingAsked();
  });

  it('refuses a query whose text does not match the registered hash it claims', async () => {
    const result = await post({
      query: '{ person(id: "' + son + '") { name riskAssessments { level } } }',
      variables: { id: son },
      extensions: persisted(documentHash(personName)),
    });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'HASH_MISMATCH' });
    expectNothingAsked();
  });
});
