// BENCH_PROFILE=<party> starts that party of npm run bench under `node --cpu-prof`: stopping it as the
// bench stops every party (SIGINT) must leave its profile, which Node writes only when the process exits
// of itself, not when a signal's default action ends it.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startParty, stopParty } from '../bench/parties.js';

const PROFILES = join(fileURLToPath(new URL('..', import.meta.url)), 'bench', 'results', 'profiles');

/** The main thread's profiles of a process: Node names them CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile. */
const mainThreadProfilesOf = async (pid: number): Promise<string[]> =>
  (await readdir(PROFILES).catch(() => [] as string[])).filter(
    (name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.0.`),
  );

describe('npm run bench with BENCH_PROFILE', () => {
  const before = process.env['BENCH_PROFILE'];
  afterEach(() => {
    if (before === undefined) delete process.env['BENCH_PROFILE'];
    else process.env['BENCH_PROFILE'] = before;
  });

  it('a profiled party stopped by the bench writes its profile', async () => {
    process.env['BENCH_PROFILE'] = 'bare';
    const party = await startParty('bare');
    const pid = party.child.pid!;
    await stopParty(party);
    expect(party.child.exitCode).toBe(0);
    expect(await mainThreadProfilesOf(pid)).toHaveLength(1);
  });
});
