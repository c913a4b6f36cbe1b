import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@hub/platform';
import { documentHash, loadTrustedDocuments } from './trusted-documents.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-trusted-documents-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A manifest file holding `text`, and what loading it throws. */
async function refusalOf(name: string, text: string | null): Promise<unknown> {
  const path = join(dir, name);
  if (text !== null) await writeFile(path, text);
  return loadTrustedDocuments(path).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('a TRUSTED_DOCUMENTS file the gateway cannot use is a refused configuration naming it, not a crash', () => {
  it.each([
    ['missing', null, /^TRUSTED_DOCUMENTS: .*missing\.json cannot be read \(ENOENT\)$/],
    ['not JSON', 'not json', /^TRUSTED_DOCUMENTS: .*not-json\.json is not JSON/],
    ['a list', '[]', /^TRUSTED_DOCUMENTS: .*a-list\.json is not a manifest/],
    ['a wrong hash', '{"abc":"query { agencies { id } }"}', /has the entry "abc", which is not the sha256 of its text/],
  ])('%s', async (name, text, message) => {
    const error = await refusalOf(`${name.replaceAll(' ', '-').toLowerCase()}.json`, text);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(message)]);
  });

  it('a manifest of operations by their sha256 is read', async () => {
    const operation = '{ agencies { id } }';
    const path = join(dir, 'good.json');
    await writeFile(path, JSON.stringify({ [documentHash(operation)]: operation }));
    expect([...(await loadTrustedDocuments(path)).values()]).toEqual([operation]);
  });
});
