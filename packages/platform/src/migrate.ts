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

export interface MigrateOptions {
  /**
   * Recorded before each file's name in schema_migrations, so a second folder (the platform's own
   * tables in every subgraph's schema) never collides with the service's files.
   * @default ''
   */
  prefix?: string;
}

export async function migrate(
  sql: Sql,
  schema: string,
  dir: string,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const prefix = options.prefix ?? '';
  const files = (await readdir(dir)).filter((f) => FILE_PATTERN.test(f)).sort();
  const applied: string[] = [];
  const skipped: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${'hub-migrations:' + schema}))`;
    await tx`create schema if not exists ${tx(schema)}`;
    // Unqualified names land in the service's schema: one shared file serves every subgraph.
    await tx`select set_config('search_path', ${`"${schema}", public`}, true)`;
    await tx`
      create table if not exists ${tx(schema)}.schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`;
    const done = new Set(
      (await tx<{ name: string }[]>`select name from ${tx(schema)}.schema_migrations`).map((r) => r.name),
    );
    for (const file of files) {
      const name = prefix + file;
      if (done.has(name)) {
        skipped.push(name);
        continue;
      }
      const text = await readFile(join(dir, file), 'utf8');
      await tx.unsafe(text);
      await tx`insert into ${tx(schema)}.schema_migrations (name) values (${name})`;
      applied.push(name);
    }
  });
  return { applied, skipped };
}
