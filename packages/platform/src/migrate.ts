// Runs a service's SQL migrations (migrations/NNN_name.sql) into its own PostgreSQL schema, or checks
// that they ran. Idempotent: each file runs once, in a transaction, under an advisory lock so replicas can race.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import { ConfigError } from './config-errors.js';

export interface MigrationResult {
  readonly applied: string[];
  readonly skipped: string[];
}

/**
 * How a service meets its schema at start: `apply` runs what is pending (one role owns everything:
 * the embedded database and a plain DATABASE_URL); `check` only verifies that every migration ran,
 * for a service connecting as its own runtime role, which may not run DDL (`npm run db:roles` migrates).
 */
export type MigrationMode = 'apply' | 'check';

export interface MigrateOptions {
  /** Run the migrations as this role (`set local role`): the schema owner, never a service's runtime role. */
  role?: string;
  /**
   * Recorded before each file's name in schema_migrations, so a second folder (the platform's own
   * tables in every subgraph's schema) never collides with the service's files.
   * @default ''
   */
  prefix?: string;
}

const FILE_PATTERN = /^\d{3}_[a-z0-9_]+\.sql$/;

async function migrationFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => FILE_PATTERN.test(f)).sort();
}

export async function migrate(
  sql: Sql,
  schema: string,
  dir: string,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const prefix = options.prefix ?? '';
  const files = await migrationFiles(dir);
  // Up to date (every start but the first): one read, no lock, no transaction, no DDL.
  const recorded = await recordedMigrations(sql, schema).catch(() => null);
  if (recorded && files.every((file) => recorded.has(prefix + file))) {
    return { applied: [], skipped: files.map((file) => prefix + file) };
  }
  const applied: string[] = [];
  const skipped: string[] = [];
  await sql.begin(async (tx) => {
    if (options.role) await tx`set local role ${tx(options.role)}`;
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
      await tx.unsafe(text).catch((error: unknown) => {
        throw refusedBy(error, schema, name) ?? error;
      });
      await tx`insert into ${tx(schema)}.schema_migrations (name) values (${name})`;
      applied.push(name);
    }
  });
  return { applied, skipped };
}

/** The names recorded in the schema's schema_migrations; throws when there is no such table (yet). */
async function recordedMigrations(sql: Sql, schema: string): Promise<Set<string>> {
  return new Set((await sql<{ name: string }[]>`select name from ${sql(schema)}.schema_migrations`).map((r) => r.name));
}

export class SchemaNotReadyError extends Error {
  override name = 'SchemaNotReadyError';
}

/**
 * A migration that refused to run on the data it found (its `raise exception`: several open DV cases of one
 * person, say), its schema left as it was: what its operator mends before migrating again, not a fault.
 */
export class MigrationRefusedError extends Error {
  override name = 'MigrationRefusedError';
}

/** PostgreSQL's code for a `raise exception` without one of its own. */
const RAISED_BY_MIGRATION = 'P0001';

function refusedBy(error: unknown, schema: string, name: string): MigrationRefusedError | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== RAISED_BY_MIGRATION) return undefined;
  return new MigrationRefusedError(
    `migration ${schema}/${name} refused to run, and ${schema} is as it was: ${String(message)}`,
  );
}

/** Throws SchemaNotReadyError unless every migration file of `dir` is recorded in the schema. */
export async function checkMigrated(
  sql: Sql,
  schema: string,
  dir: string,
  options: MigrateOptions = {},
): Promise<void> {
  const prefix = options.prefix ?? '';
  const files = (await migrationFiles(dir)).map((f) => prefix + f);
  let done: Set<string>;
  try {
    done = await recordedMigrations(sql, schema);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42501: this role was granted nothing on the schema; 42P01 / 3F000: nothing was ever migrated.
    if (code === '42501') {
      throw new SchemaNotReadyError(`this role may not read schema ${schema}: run npm run db:roles to grant it`);
    }
    if (code !== '42P01' && code !== '3F000') throw error;
    done = new Set();
  }
  const pending = files.filter((f) => !done.has(f));
  if (pending.length) {
    throw new SchemaNotReadyError(
      `schema ${schema} lacks migrations ${pending.join(', ')}: a service with its own database role does not migrate; run npm run db:roles`,
    );
  }
}

/** Applies or checks a service's migrations, as its mode says. */
export async function prepareSchema(
  sql: Sql,
  schema: string,
  dir: string,
  mode: MigrationMode,
  options: Pick<MigrateOptions, 'prefix'> = {},
): Promise<string[]> {
  if (mode === 'check') {
    await refusePrivilegedRole(sql, schema);
    await checkMigrated(sql, schema, dir, options);
    return [];
  }
  return (await migrate(sql, schema, dir, options)).applied;
}

/**
 * A service's own URL names a role of its own (`npm run db:roles`): one that is a superuser, may create
 * roles or bypass row security, or is a member of a role that may more (a superuser, the schema's owner,
 * pg_read_all_data or pg_write_all_data), would hold what least privilege keeps from it. Refused at start.
 */
async function refusePrivilegedRole(sql: Sql, schema: string): Promise<void> {
  const [role] = await sql<{ name: string; privileged: boolean; via: string | null }[]>`
    select r.rolname as name, r.rolsuper or r.rolcreaterole or r.rolbypassrls as privileged,
      (select g.rolname from pg_roles g
       where g.oid <> r.oid and pg_has_role(r.oid, g.oid, 'member')
         and (g.rolsuper or g.rolcreaterole or g.rolbypassrls
              or g.rolname in ('pg_read_all_data', 'pg_write_all_data', 'pg_execute_server_program')
              or g.oid = (select nspowner from pg_namespace where nspname = ${schema}))
       order by g.rolname limit 1) as via
    from pg_roles r where r.rolname = current_user`;
  if (!role || (!role.privileged && role.via === null)) return;
  const what = role.privileged
    ? 'is a superuser or may create roles or bypass row security'
    : `is a member of ${role.via}`;
  throw new ConfigError(
    `the role ${role.name} this service connects as ${what}: a service's own database URL names a role of its ` +
      'own, with rights on its schema only (npm run db:roles makes them)',
  );
}
