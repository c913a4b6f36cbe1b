// npm run bench: the floor, the public four-subgraph scenario served by stock @apollo/gateway, Hive
// Gateway and the hub's engine, the hub's person-list query with authorization on and off, and the
// legal-bases lookup at growing table sizes, and the pages' bundle and first load in a headless browser.
// Loopback only, bounded in time (BENCH_QUICK=1 halves it). Writes bench/results/<date>.json and .md
// (<date>-<parts> when only some parts run: BENCH_ONLY=ui, or `npm run bench -- --ui`). Timing lives here, never in tests.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GUILD_PARTIES, guildMarkdown, measureGuild } from './guild-scenario.js';
import { fmtBreakdown, hubMarkdown, measureHub, type HubResult } from './hub-scenario.js';
import { parties, shown, stopParty } from './parties.js';
import { measurePolicyScale, policyScaleMarkdown, type PolicyScaleRow } from './policy-scale.js';
import { measureReplicas, replicasMarkdown } from './replicas-scenario.js';
import { benchDir, ONLY, PARTIAL_LABEL, QUICK, REPETITIONS } from './settings.js';
import { measureSigning, signingMarkdown, type SigningCost } from './signing.js';
import { measureStartup, type StartupResult } from './startup.js';
import { measureTelemetry, telemetryMarkdown } from './telemetry-scenario.js';
import { measureUi, uiMarkdown, type UiBench } from './ui.js';

const startedAt = new Date();

type BenchResult = Awaited<ReturnType<typeof collect>>;

function markdown(result: BenchResult): string {
  const lines: string[] = [];
  lines.push(`# npm run bench, ${result.date}`, '');
  lines.push(
    `Node ${result.node}, ${result.cpus} CPUs (${result.cpuModel}), ${result.repetitions} repetitions; medians with (min–max).`,
    '',
  );
  lines.push(...guildMarkdown(result), ...hubMarkdown(result.hub), ...policyScaleMarkdown(result.policyScale));
  lines.push('## A small VM: the all-in-one process', '');
  if (result.hub.rows.length) {
    lines.push(
      `- RSS after the hub run: ${result.hub.memory.rssMb} MB (peak ${result.hub.memory.peakMb} MB); the bench's hub process also holds the second, authorization-off gateway.`,
    );
    if (result.hub.breakdown) lines.push(`- Where it sits: ${fmtBreakdown(result.hub.breakdown)}.`);
  }
  if (result.hub.allInOne) {
    const { afterSetup, memory, breakdown, atRest } = result.hub.allInOne;
    lines.push(
      `- RSS of the all-in-one process as \`npm start\` makes it (one gateway, authorization on), started on the data directory the bench's persons were registered in, after the same person-list loads: ${memory.rssMb} MB (peak ${memory.peakMb} MB); ${fmtBreakdown(breakdown)}.`,
      `- The same process at rest, ${atRest.seconds} s after the loads: RSS ${atRest.breakdown.rssMb} MB; ${fmtBreakdown(atRest.breakdown)}.`,
      `- The process that registered those persons (a thousand registrations and consents in batches of a hundred) before the same loads: ${afterSetup.memory.rssMb} MB (peak ${afterSetup.memory.peakMb} MB); ${fmtBreakdown(afterSetup.breakdown)}.`,
    );
  }
  if (result.startup) {
    const { newInstall, firstStart, existingDataDir } = result.startup;
    lines.push(
      `- \`npm start\` ready on a new data directory of a new install (initdb, migrations, demo data): ${newInstall.readySeconds} s (${newInstall.cpuSeconds} s of CPU), RSS ${newInstall.rssMb} MB once ready.`,
      `- \`npm start\` ready on a new data directory (a copy of the fresh one kept, migrations, demo data): ${firstStart.readySeconds} s (${firstStart.cpuSeconds} s of CPU), RSS ${firstStart.rssMb} MB once ready.`,
      `- \`npm start\` ready on the existing data directory: ${existingDataDir.readySeconds} s (${existingDataDir.cpuSeconds} s of CPU), RSS ${existingDataDir.rssMb} MB once ready.`,
    );
  }
  lines.push('');
  if (result.replicas) lines.push(...replicasMarkdown(result.replicas));
  if (result.signing) lines.push('', ...signingMarkdown(result.signing));
  if (result.telemetry) lines.push(...telemetryMarkdown(result.telemetry));
  if (result.ui) lines.push('', ...uiMarkdown(result.ui));
  lines.push('', '## Ratios', '');
  for (const [name, value] of Object.entries(result.ratios)) lines.push(`- ${name}: ${value}`);
  return `${lines.join('\n')}\n`;
}

async function collect() {
  const os = await import('node:os');
  console.log('floor and the four-subgraph scenario…');
  const { floor, guild, started } = ONLY.has('guild')
    ? await measureGuild()
    : {
        floor: {},
        guild: {} as Awaited<ReturnType<typeof measureGuild>>['guild'],
        started: {} as Record<string, string>,
      };
  console.log('the hub, authorization on and off…');
  const hub: HubResult = ONLY.has('hub')
    ? await measureHub()
    : { database: 'skipped', memory: { rssMb: 0, peakMb: 0 }, breakdown: undefined, allInOne: undefined, rows: [] };
  console.log('npm start, on a new and on an existing data directory…');
  const startup: StartupResult | undefined = ONLY.has('startup') ? await measureStartup() : undefined;
  console.log('two gateway replicas on one PostgreSQL…');
  const replicas = ONLY.has('replicas') ? await measureReplicas() : undefined;
  console.log('legal-bases lookup at scale…');
  const policyScale: { database: string; rows: PolicyScaleRow[] } = ONLY.has('policy')
    ? await measurePolicyScale({ quick: QUICK })
    : { database: 'skipped', rows: [] };
  console.log('signing each subgraph request…');
  const signing: SigningCost | undefined = ONLY.has('signing') ? await measureSigning({ quick: QUICK }) : undefined;
  console.log('traces and metrics on and off…');
  const telemetry = ONLY.has('telemetry') ? await measureTelemetry() : undefined;
  console.log('the pages: bundle and first load…');
  const ui: UiBench | undefined = ONLY.has('ui') ? await measureUi({ quick: QUICK }) : undefined;

  const rps = (name: string) => (guild[name] ? guild[name].reqPerSec.median : NaN);
  const cpu = (name: string) => (guild[name] ? guild[name].cpuMsPerRequest.median : NaN);
  const ratios: Record<string, number | string> = {};
  for (const [name] of GUILD_PARTIES) {
    if (name === 'hub engine') continue;
    if (guild['hub engine'] && guild[name]) {
      ratios[`hub engine / ${name}, req/s`] = shown(rps('hub engine') / rps(name));
      ratios[`hub engine / ${name}, CPU ms/req`] = shown(cpu('hub engine') / cpu(name));
    } else if (ONLY.has('guild')) {
      ratios[`hub engine / ${name}`] = started[name] ?? 'not run';
    }
  }
  if (replicas && !('skipped' in replicas)) {
    ratios['two gateway replicas / one, req/s'] = replicas.combinedOverOne;
    ratios['access-log entries written / expected (one per decision)'] = shown(
      replicas.entriesWritten / replicas.entriesExpected,
    );
  }
  if (signing) ratios['EdDSA / HS256 subgraph signature, sign + verify CPU µs'] = signing.ratio;
  if (telemetry) {
    const off = telemetry.rows['off']!.cpuMsPerRequest.median;
    for (const name of Object.keys(telemetry.rows).filter((n) => n !== 'off')) {
      ratios[`telemetry ${name} / off, CPU ms/req (target ≤ 1.05 with metrics and 10 % tracing)`] = shown(
        telemetry.rows[name]!.cpuMsPerRequest.median / off,
      );
    }
  }
  for (const row of hub.rows) {
    ratios[`N=${row.persons}: authorization on / off, req/s`] = shown(
      row.on.reqPerSec.median / row.off.reqPerSec.median,
    );
    ratios[`N=${row.persons}: authorization on / off, CPU ms/req`] = shown(
      row.on.cpuMsPerRequest.median / row.off.cpuMsPerRequest.median,
    );
    ratios[`N=${row.persons}: authorization on / off, CPU ms/req, median of the pairs`] = row.pairedCpuRatio.median;
  }
  return {
    date: startedAt.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    repetitions: REPETITIONS,
    quick: QUICK,
    floor,
    guild,
    hub,
    startup,
    replicas,
    policyScale,
    signing,
    telemetry,
    ui,
    ratios,
  };
}

try {
  const result = await collect();
  const resultsDir = join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stem = join(
    resultsDir,
    `${result.date.slice(0, 10)}${(process.env['BENCH_LABEL'] ?? PARTIAL_LABEL) ? `-${process.env['BENCH_LABEL'] ?? PARTIAL_LABEL}` : ''}`,
  );
  const md = markdown(result);
  await writeFile(`${stem}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${stem}.md`, md);
  console.log(
    `\n${md}\nwritten to ${stem}.json and ${stem}.md in ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s`,
  );
} finally {
  for (const party of parties) await stopParty(party);
}
