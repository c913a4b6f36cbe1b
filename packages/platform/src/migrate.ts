// Runs a service's SQL migrations (migrations/NNN_name.sql) into its own PostgreSQL schema.
// Idempotent: each file runs once, in a transaction, under an advisory lock so replicas can race.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';

export interface MigrationResult {
  readonly applied: string[];
  readonly skipped: string[];
}

const FILE_PATTERN = /^\d{3}_[a-z0-9_]+\.sql$/;

export async function migrate(sql: Sql, schema: string, dir: string): Promise<MigrationResult> {
  const files = (await readdir(dir)).filter((f) => FILE_PATTERN.test(f)).sort();
  const applied: string[] = [];
  const skipped: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${'hub-migrations:' + schema}))`;
    await tx`create schema if not exists ${tx(schema)}`;
    await tx`
      create table if not exists ${tx(schema)}.schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`;
    const done = new Set(
      (await tx<{ name: string }[]>`select name from ${tx(schema)}.schema_migrations`).map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) {
        skipped.push(file);
        continue;
      }
      const text = await readFile(join(dir, file), 'utf8');
      await tx.unsafe(text);
      await tx`insert into ${tx(schema)}.schema_migrations (name) values (${file})`;
      applied.push(file);
    }
  });
  return { applied, skipped };
}
