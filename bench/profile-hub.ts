// A CPU profile of the hub under the person-list load, taken only while the load runs (not while the hub
// starts and registers its persons): `npx tsx bench/profile-hub.ts [on|off]`, BENCH_PERSONS (default
// 1000) persons per request, BENCH_PROFILE_SECONDS (default 8). Writes bench/results/profiles/hub-*.cpuprofile;
// open it in Chrome DevTools (Performance, Load profile) or any .cpuprofile viewer. Prints where its time
// went per request (bench/profile-summary.ts): run it `on` and `off` and compare the two.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathBeside } from '@hub/platform';
import { runLoad } from './load.js';
import { summarizeProfile, summaryLines, type CpuProfile } from './profile-summary.js';
import { PEOPLE_QUERY } from './scenarios.js';
import { ALL_IN_ONE_ENV } from './startup.js';

const gateway = process.argv[2] === 'off' ? 'off' : 'on';
const persons = Number(process.env['BENCH_PERSONS'] ?? 1000);
const seconds = Number(process.env['BENCH_PROFILE_SECONDS'] ?? 8);
const benchDir = pathBeside(import.meta.url, '.');
const dir = join(benchDir, 'results', 'profiles');
mkdirSync(dir, { recursive: true });

// As the bench runs the hub: the bundle of the hub's own code on plain Node (scripts/run-bundled.js).
const child = spawn(process.execPath, [join(benchDir, '..', 'scripts', 'run-bundled.js'), 'bench/serve.ts', 'hub'], {
  env: {
    ...process.env,
    ...ALL_IN_ONE_ENV,
    BENCH_PERSONS: String(persons),
    BENCH_PROFILE_DIR: dir,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const lines = createInterface({ input: child.stdout! });
const next = (prefix: string) =>
  new Promise<string>((resolve) => {
    const listener = (line: string) => {
      if (!line.startsWith(prefix)) return;
      lines.off('line', listener);
      resolve(line.slice(prefix.length));
    };
    lines.on('line', listener);
  });

try {
  const detail = JSON.parse(await next('READY ')) as Record<string, unknown> & { ids: string[]; token: string };
  const load = (durationMs: number) =>
    runLoad({
      url: detail[gateway] as string,
      body: JSON.stringify({ query: PEOPLE_QUERY, variables: { ids: detail.ids.slice(0, persons) } }),
      headers: { authorization: `Bearer ${detail.token}` },
      concurrency: 4,
      durationMs,
    });
  await load(2_000);
  child.kill('SIGUSR2');
  const measured = await load(seconds * 1000);
  const written = next('PROFILED ');
  child.kill('SIGUSR2');
  console.log(
    `${gateway}, ${persons} persons: ${measured.requests} requests (${measured.errors} errors) in ${seconds} s`,
  );
  const file = await written;
  console.log(`profile: ${file}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(summaryLines(summarizeProfile(profile, measured.requests)).join('\n'));
} finally {
  child.kill('SIGINT');
}
