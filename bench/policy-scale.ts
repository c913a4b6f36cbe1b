// The legal-bases lookup and the access-log append as the tables grow: 1k, 100k and 1M consents (100k
// with BENCH_QUICK=1) and 100k audit rows, bulk-inserted with generate_series. The persons looked up
// keep the same few consents at every size, so any growth in time is the table's, not the answer's.

import { performance } from 'node:perf_hooks';
import { AGENCIES, connect, createScratchDatabase, migrate, startDatabase } from '@hub/platform';
import { HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR } from '@hub/gateway/hub';
import { seedGateway } from '@hub/gateway/server';
import { appendAudit, type AuditEntry } from '@hub/gateway/audit';
import { loadBases } from '@hub/gateway/bases';
import { percentile } from './load.js';
import { shown } from './parties.js';

export interface PolicyScaleRow {
  consents: number;
  auditRows: number;
  insertSeconds: number;
  lookupP50ms: number;
  lookupP99ms: number;
  appendP50ms: number;
  appendP99ms: number;
}

const PROBES = Array.from({ length: 10 }, (_, i) => `bench-probe-${i}`);
const LOOKUPS = 300;
const APPENDS = 100;

function entry(personId: string): AuditEntry {
  return {
    at: new Date(),
    agencyId: AGENCIES.minaminoCollaborator.id,
    staffId: 'bench',
    personId,
    categories: ['EMPLOYMENT'],
    allowed: true,
    basis: 'CONSENT',
    reason: null,
    consentId: null,
    meetingId: null,
    emergencyId: null,
    operationName: 'Bench',
    requestId: 'bench',
    purpose: null,
  };
}

async function timed(times: number, run: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: shown(percentile(ms, 50)), p99: shown(percentile(ms, 99)) };
}

export async function measurePolicyScale(options: { quick: boolean }) {
  const sizes = options.quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
  const database = await createScratchDatabase('benchscale', process.env['DATABASE_URL']);
  const server = await startDatabase(database.config);
  const db = connect(server.url, { name: 'bench-scale', max: 2 });
  const rows: PolicyScaleRow[] = [];
  try {
    await migrate(db.sql, HUB_DB_SCHEMA, HUB_MIGRATIONS_DIR);
    await seedGateway(db);
    const agency = AGENCIES.minaminoCollaborator.id;
    // The probed persons' own consents: three each, the same at every size.
    await db.sql`
      insert into hub.consent (person_id, recipient_agency_ids, categories, purpose, valid_from, valid_until,
                               method, obtained_by, obtained_by_staff)
      select p.id, array[${agency}::text], array['EMPLOYMENT'], 'bench', now() - interval '1 day', now() + interval '1 year',
             'WRITTEN', ${agency}, 'bench'
      from unnest(${PROBES}::text[]) as p(id), generate_series(1, 3)`;
    let consents = PROBES.length * 3;
    let auditRows = 0;
    for (const size of sizes) {
      const t0 = performance.now();
      const add = size - consents;
      if (add > 0) {
        await db.sql`
          insert into hub.consent (person_id, recipient_agency_ids, categories, purpose, valid_from, valid_until,
                                   method, obtained_by, obtained_by_staff)
          select 'bench-filler-' || (g % 100000), array[${agency}::text], array['EMPLOYMENT'], 'bench',
                 now() - interval '1 day', now() + interval '1 year', 'WRITTEN', ${agency}, 'bench'
          from generate_series(${consents}::int, ${size - 1}::int) as g`;
        consents = size;
      }
      if (size >= 100_000 && auditRows < 100_000) {
        // Filler rows with hashes of their own: the chain of this throwaway database is not verified.
        await db.sql`
          insert into hub.audit_log (at, agency_id, staff_id, person_id, categories, allowed, basis, request_id,
                                     prev_hash, hash)
          select now(), ${agency}, 'bench', 'bench-filler-' || (g % 100000), array['EMPLOYMENT'], true, 'CONSENT',
                 'bench', md5(g::text) || md5((g + 1)::text), md5(g::text) || md5((g + 7)::text)
          from generate_series(1, 100000) as g`;
        auditRows = 100_000;
      }
      await db.sql`analyze hub.consent`;
      await db.sql`analyze hub.audit_log`;
      const insertSeconds = Math.round((performance.now() - t0) / 100) / 10;
      await loadBases(db.sql, PROBES);
      const lookup = await timed(LOOKUPS, () => loadBases(db.sql, PROBES));
      const append = await timed(APPENDS, () => appendAudit(db.sql, PROBES.map(entry)));
      auditRows += APPENDS * PROBES.length;
      rows.push({
        consents,
        auditRows,
        insertSeconds,
        lookupP50ms: lookup.p50,
        lookupP99ms: lookup.p99,
        appendP50ms: append.p50,
        appendP99ms: append.p99,
      });
      process.stdout.write(`  ${consents} consents: lookup p50 ${lookup.p50} ms, p99 ${lookup.p99} ms\n`);
    }
  } finally {
    await db.close();
    await server.close();
    await database.drop();
  }
  return { database: database.config.kind === 'url' ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite', rows };
}

/** The lookup's table as the tables grow. */
export function policyScaleMarkdown(policyScale: { database: string; rows: PolicyScaleRow[] }): string[] {
  const lines: string[] = [];
  if (policyScale.rows.length) {
    lines.push('## Legal-bases lookup (10 persons) as the tables grow', '');
    lines.push(`Database: ${policyScale.database}.`, '');
    lines.push(
      '| consents | audit rows | insert s | lookup p50 ms | lookup p99 ms | audit append p50 ms | audit append p99 ms |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of policyScale.rows) {
      lines.push(
        `| ${r.consents} | ${r.auditRows} | ${r.insertSeconds} | ${r.lookupP50ms} | ${r.lookupP99ms} | ${r.appendP50ms} | ${r.appendP99ms} |`,
      );
    }
  }
  return lines;
}
