// Least privilege inside the database: one owner role that runs every migration and owns every schema,
// and one runtime role per service with DML on its own schema only (npm run db:roles; docs/operations.md).

import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { SUBGRAPH_PLATFORM_MIGRATIONS_DIR, SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX } from './replay.js';
import { migrate } from './migrate.js';
import { ConfigError } from './config.js';
import { SERVICE_NAMES, serviceConnections, type ServiceName } from './services.js';

/** One service's schema and the folder of the migrations that build it. */
export interface ServiceSchema {
  readonly service: ServiceName;
  readonly schema: string;
  readonly migrationsDir: string;
}

export interface DatabaseRolesOptions {
  /** A superuser on the hub's database: only one may take the statistics views from PUBLIC. */
  readonly adminUrl: string;
  /** Every service's schema, in the order to migrate. */
  readonly schemas: readonly ServiceSchema[];
  /**
   * Names the roles: `<prefix>_owner`, `<prefix>_gateway`, `<prefix>_welfare`, …
   * @default 'hub'
   */
  readonly prefix?: string;
  /**
   * A service's own URL (`WELFARE_DATABASE_URL`, …): its user and password are taken as that service's
   * role and password, so the same secret configures the role and the service.
   */
  readonly serviceUrls?: Readonly<Partial<Record<ServiceName, string>>>;
  /** A service's password, when no URL gives one. */
  readonly passwords?: Readonly<Partial<Record<ServiceName, string>>>;
  /**
   * Replicas of each service the connection limit of its role allows for: the limit is the connections one
   * replica opens (its pools) times this, so a taken-over service cannot hold every connection of the server.
   * @default DEFAULT_REPLICAS (4)
   */
  readonly replicas?: number;
}

/** Two replicas of each service, and as many again while a rolling upgrade starts the new ones. */
export const DEFAULT_REPLICAS = 4;

/** The connection limit `npm run db:roles` sets on a service's role. */
export function connectionLimit(service: ServiceName, replicas = DEFAULT_REPLICAS): number {
  if (!Number.isSafeInteger(replicas) || replicas < 1)
    throw new ConfigError(`replicas must be a whole number of at least 1, not ${replicas}`);
  return serviceConnections(service) * replicas;
}

export interface ServiceDatabaseRole {
  readonly role: string;
  /** The URL the service connects with; without a password when an existing role kept its own. */
  readonly url: string;
  /** `given` (from a URL or an option), `generated` (new role) or `unchanged` (existing role, none given). */
  readonly password: 'given' | 'generated' | 'unchanged';
}

export interface DatabaseRoles {
  readonly owner: string;
  readonly services: Readonly<Record<ServiceName, ServiceDatabaseRole>>;
  /** Migrations applied by this run, per schema. */
  readonly applied: Readonly<Record<string, readonly string[]>>;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function roleName(name: string): string {
  if (!ROLE_NAME.test(name)) throw new ConfigError(`${name} is not a plain role name (lower-case letters, digits, _)`);
  return name;
}

/** A string literal for the utility statements (create role … password) that take no parameters. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface WantedRole {
  readonly role: string;
  readonly password: string | undefined;
  readonly connectionLimit: number;
}

function wantedRoles(options: DatabaseRolesOptions, prefix: string): Record<ServiceName, WantedRole> {
  return Object.fromEntries(
    SERVICE_NAMES.map((service) => {
      const limit = connectionLimit(service, options.replicas);
      const url = options.serviceUrls?.[service];
      if (url) {
        const u = new URL(url);
        const role = roleName(decodeURIComponent(u.username));
        return [service, { role, password: decodeURIComponent(u.password) || undefined, connectionLimit: limit }];
      }
      const role = roleName(`${prefix}_${service.replace(/-/g, '_')}`);
      return [service, { role, password: options.passwords?.[service], connectionLimit: limit }];
    }),
  ) as Record<ServiceName, WantedRole>;
}

/** Two services on one role, or a service on the owner's role, would undo the separation. */
function assertDistinct(wanted: Record<ServiceName, WantedRole>, owner: string): void {
  const holders = new Map<string, string[]>([[owner, ['the owner']]]);
  for (const [service, { role }] of Object.entries(wanted)) holders.set(role, [...(holders.get(role) ?? []), service]);
  const shared = [...holders].find(([, named]) => named.length > 1);
  if (shared) {
    const [role, named] = shared;
    throw new ConfigError(`role ${role} is named for ${named.join(' and ')}: each service needs a role of its own`);
  }
}

async function roleExists(sql: Sql, role: string): Promise<boolean> {
  const [row] = await sql`select 1 from pg_roles where rolname = ${role}`;
  return Boolean(row);
}

async function ensureOwner(sql: Sql, owner: string, database: string): Promise<void> {
  // The owner logs in nowhere: migrations reach it by `set role` from the administrator's session.
  if (!(await roleExists(sql, owner))) await sql.unsafe(`create role ${owner} nologin`);
  await sql.unsafe(`alter role ${owner} nologin nosuperuser nocreatedb nocreaterole noinherit`);
  await sql.unsafe(`grant create, connect on database ${ident(database)} to ${owner}`);
  const [me] = await sql<{ super: boolean }[]>`select rolsuper as super from pg_roles where rolname = current_user`;
  if (!me?.super) await sql.unsafe(`grant ${owner} to current_user`);
}

/** Creates or updates a service's login role; a new role without a given password gets a generated one. */
async function ensureServiceRole(
  sql: Sql,
  database: string,
  adminUrl: string,
  wanted: WantedRole,
): Promise<ServiceDatabaseRole> {
  const [existing] = await sql<{ privileged: boolean }[]>`
    select rolsuper or rolcreaterole or rolbypassrls or rolname = current_user as privileged
    from pg_roles where rolname = ${wanted.role}`;
  // A URL that names the administrator (or any other powerful role) must not quietly demote it.
  if (existing?.privileged)
    throw new ConfigError(`role ${wanted.role} is privileged: a service needs a role of its own`);
  const exists = Boolean(existing);
  const password = wanted.password ?? (exists ? undefined : randomBytes(24).toString('base64url'));
  // The connection limit keeps a taken-over service from holding every connection of the server.
  const rights = `login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls connection limit ${wanted.connectionLimit}`;
  const verb = exists ? 'alter' : 'create';
  await sql.unsafe(`${verb} role ${wanted.role} ${rights}${password ? ` password ${literal(password)}` : ''}`);
  // Settings made for the role by hand go too: session_replication_role = replica would stop the triggers that
  // keep the access log append-only and move the bases' version; a search_path would name another schema.
  await sql.unsafe(`alter role ${wanted.role} reset all`);
  await sql.unsafe(`alter role ${wanted.role} in database ${ident(database)} reset all`);
  // Connect, and nothing else on the database or its public schema: a CREATE granted by hand (a schema of
  // its own, a table in public) goes at every run.
  // In one transaction: PUBLIC no longer connects (closeDatabase), so a running service opening a
  // connection between the two would be turned away.
  await sql.begin(async (tx) => {
    await tx.unsafe(`revoke all on database ${ident(database)} from ${wanted.role}`);
    await tx.unsafe(`grant connect on database ${ident(database)} to ${wanted.role}`);
  });
  await sql.unsafe(`revoke all on schema public from ${wanted.role}`);
  // A role it was made a member of (the owner, pg_read_all_data, …) would give it all that role may:
  // a service's role belongs to none.
  const memberOf = await sql<{ name: string }[]>`
    select r.rolname as name from pg_auth_members m
    join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
    where u.rolname = ${wanted.role}`;
  for (const { name } of memberOf) await sql.unsafe(`revoke ${ident(name)} from ${wanted.role}`);
  return {
    role: wanted.role,
    url: serviceUrl(adminUrl, wanted.role, password),
    password: wanted.password ? 'given' : password ? 'generated' : 'unchanged',
  };
}

const RELATION_KINDS: Readonly<Record<string, string>> = {
  S: 'sequence',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  c: 'type',
};

/**
 * PUBLIC keeps no right on the hub's database: not TEMPORARY (a service's role would create temporary
 * tables and functions in pg_temp, objects of its own), not CREATE, not CONNECT. The owner and each
 * service's role were granted CONNECT by name before this runs; the administrator (a superuser) needs none,
 * and a monitoring role is granted it by hand (docs/operations.md, "Database roles").
 */
async function closeDatabase(sql: Sql, database: string): Promise<void> {
  await sql.unsafe(`revoke all on database ${ident(database)} from public`);
}

/**
 * The statistics of every table, index, sequence and function (pg_stat_all_tables, pg_statio_*, … and the
 * pg_stat_get_*(oid) functions they read) are PUBLIC's by default: any role would count another schema's
 * rows and see when one was inserted (child_dv.dv_case's n_tup_ins). So are the locks every session holds
 * (pg_locks, from pg_lock_status()): another schema's table locked for a write tells when a record was
 * made. In the hub's database they are pg_read_all_stats's only (pg_monitor is a member of it). pg_stat_activity and pg_stat_database stay
 * PUBLIC's: the services' metrics read the first, and neither names a table. These objects belong to the
 * bootstrap superuser: a run as any other role would leave them PUBLIC's, and is refused.
 */
async function hideStatistics(sql: Sql): Promise<void> {
  const views = await sql<{ name: string }[]>`
    select c.oid::regclass::text as name from pg_class c
    where c.relnamespace = 'pg_catalog'::regnamespace and c.relkind = 'v'
      and (c.relname ~ '^pg_stat(io)?_(xact_)?(all|user|sys)_(tables|indexes|sequences|functions)$'
           or c.relname = 'pg_locks')
    order by 1`;
  const functions = await sql<{ name: string }[]>`
    select p.oid::regprocedure::text as name from pg_proc p
    where p.pronamespace = 'pg_catalog'::regnamespace
      and ((p.proname like 'pg\_stat\_get\_%' and p.proname not like 'pg\_stat\_get\_db\_%'
            and p.pronargs = 1 and p.proargtypes[0] = 'oid'::regtype)
           or p.proname = 'pg_lock_status')
    order by 1`;
  if (!views.length || !functions.length) return;
  const viewList = views.map((v) => v.name).join(', ');
  const functionList = functions.map((f) => f.name).join(', ');
  await sql.begin(async (tx) => {
    await tx.unsafe(`revoke select on ${viewList} from public`);
    await tx.unsafe(`grant select on ${viewList} to pg_read_all_stats`);
    await tx.unsafe(`revoke execute on function ${functionList} from public`);
    await tx.unsafe(`grant execute on function ${functionList} to pg_read_all_stats`);
  });
  // A role without the right to revoke only gets a warning: what PUBLIC still holds is the test.
  const [kept] = await sql<{ name: string }[]>`
    select c.oid::regclass::text as name from pg_class c, aclexplode(c.relacl) a
    where c.oid::regclass::text = any(${views.map((v) => v.name)}) and a.grantee = 0
    union all
    select p.oid::regprocedure::text from pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
    where p.oid::regprocedure::text = any(${functions.map((f) => f.name)}) and a.grantee = 0
    limit 1`;
  if (kept)
    throw new ConfigError(
      `${kept.name} is still readable by every role: run npm run db:roles as a superuser of the hub's database`,
    );
}

/**
 * Hands a schema some other role built (a one-role deployment before this command) to the owner,
 * with every table, view, sequence, type and function in it.
 */
async function handOver(sql: Sql, schema: string, owner: string): Promise<void> {
  const [current] = await sql<{ owner: string }[]>`
    select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = ${schema}`;
  if (!current || current.owner === owner) return;
  await sql`alter schema ${sql(schema)} owner to ${sql(owner)}`;
  const relations = await sql<{ name: string; kind: string }[]>`
    select c.relname as name, c.relkind as kind
    from pg_class c
    where c.relnamespace = ${schema}::regnamespace
      and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S', 'c')
      and not exists (select 1 from pg_depend d
                      where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))`;
  for (const r of relations) {
    await sql.unsafe(`alter ${RELATION_KINDS[r.kind] ?? 'table'} ${ident(schema)}.${ident(r.name)} owner to ${owner}`);
  }
  const types = await sql<{ name: string; kind: string }[]>`
    select t.typname as name, t.typtype as kind from pg_type t
    where t.typnamespace = ${schema}::regnamespace and t.typtype in ('e', 'd', 'r')`;
  for (const t of types) {
    await sql.unsafe(`alter ${t.kind === 'd' ? 'domain' : 'type'} ${ident(schema)}.${ident(t.name)} owner to ${owner}`);
  }
  const functions = await sql<{ signature: string }[]>`
    select p.oid::regprocedure::text as signature from pg_proc p where p.pronamespace = ${schema}::regnamespace`;
  for (const f of functions) await sql.unsafe(`alter routine ${f.signature} owner to ${owner}`);
}

/**
 * The runtime role's rights on its schema: usage and DML on every table and sequence, now and (by
 * default privileges) for tables later migrations add; nothing that changes the schema, and on an
 * append-only table only select and insert. Whatever else it holds there (CREATE on the schema, TRUNCATE or
 * TRIGGER on a table, a right on a routine, granted by hand) is taken first, in the same transaction, so the
 * running service never goes without what it needs. Run again after every migration: it is idempotent.
 */
async function grantSchema(sql: Sql, schema: string, owner: string, role: string): Promise<void> {
  const s = ident(schema);
  const appendOnly = await appendOnlyTables(sql, schema, owner);
  await sql.begin(async (tx) => {
    await tx.unsafe(`revoke all on schema ${s} from public`);
    await tx.unsafe(`revoke all on all tables in schema ${s} from ${role}`);
    await tx.unsafe(`revoke all on all sequences in schema ${s} from ${role}`);
    await tx.unsafe(`revoke all on all routines in schema ${s} from ${role}`);
    await tx.unsafe(`revoke all on schema ${s} from ${role}`);
    await tx.unsafe(`grant usage on schema ${s} to ${role}`);
    await tx.unsafe(`grant select, insert, update, delete on all tables in schema ${s} to ${role}`);
    await tx.unsafe(`grant usage, select on all sequences in schema ${s} to ${role}`);
    await tx.unsafe(
      `alter default privileges for role ${owner} in schema ${s} grant select, insert, update, delete on tables to ${role}`,
    );
    await tx.unsafe(
      `alter default privileges for role ${owner} in schema ${s} grant usage, select on sequences to ${role}`,
    );
    // The record of migrations is the owner's: a name the runtime role recorded would make the owner skip
    // that migration. The role reads it, to refuse to start while one is pending.
    await tx.unsafe(`revoke insert, update, delete, truncate on ${s}.schema_migrations from ${role}`);
    for (const table of appendOnly) {
      await tx.unsafe(`revoke update, delete, truncate, references, trigger on ${s}.${ident(table)} from ${role}`);
    }
  });
}

/** Takes from a role every right on a schema not its own: what a rerun finds granted by hand goes. */
async function revokeSchema(sql: Sql, schema: string, role: string): Promise<void> {
  const s = ident(schema);
  await sql.unsafe(`revoke all on all tables in schema ${s} from ${role}`);
  await sql.unsafe(`revoke all on all sequences in schema ${s} from ${role}`);
  await sql.unsafe(`revoke all on all routines in schema ${s} from ${role}`);
  await sql.unsafe(`revoke all on schema ${s} from ${role}`);
}

/**
 * Tables a migration marked append-only, by a trigger whose function's name ends in `append_only`
 * (hub.audit_log_is_append_only) and which the owner made: the runtime role may only insert and read them.
 */
async function appendOnlyTables(sql: Sql, schema: string, owner: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select distinct c.relname as name
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_proc p on p.oid = t.tgfoid
    where c.relnamespace = ${schema}::regnamespace and p.proname like '%append\\_only'
      and p.proowner = ${owner}::regrole`;
  return rows.map((r) => r.name);
}

function serviceUrl(adminUrl: string, role: string, password: string | undefined): string {
  const url = new URL(adminUrl);
  url.username = role;
  url.password = password ? encodeURIComponent(password) : '';
  return url.toString();
}

/**
 * Creates (or brings up to date) the owner role and one role per service, runs every migration as
 * the owner, and grants each service its own schema. Idempotent: run it after every deployment.
 */
export async function setUpDatabaseRoles(options: DatabaseRolesOptions): Promise<DatabaseRoles> {
  const prefix = options.prefix ?? 'hub';
  const owner = roleName(`${prefix}_owner`);
  const wanted = wantedRoles(options, prefix);
  assertDistinct(wanted, owner);
  const sql = postgres(options.adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ database } = { database: '' }] = await sql<{ database: string }[]>`select current_database() as database`;
    await ensureOwner(sql, owner, database);
    const services = {} as Record<ServiceName, ServiceDatabaseRole>;
    for (const service of SERVICE_NAMES) {
      services[service] = await ensureServiceRole(sql, database, options.adminUrl, wanted[service]);
    }
    // Whatever PUBLIC may create in public (PostgreSQL before 15), no service role may.
    await sql.unsafe('revoke create on schema public from public');
    await closeDatabase(sql, database);
    await hideStatistics(sql);

    const applied: Record<string, readonly string[]> = {};
    for (const { service, schema, migrationsDir } of options.schemas) {
      await handOver(sql, schema, owner);
      applied[schema] = (await migrate(sql, schema, migrationsDir, { role: owner })).applied;
      // Every subgraph's schema also holds the platform's own tables (the used signatures, replay.ts).
      if (service !== 'gateway') {
        const shared = await migrate(sql, schema, SUBGRAPH_PLATFORM_MIGRATIONS_DIR, {
          role: owner,
          prefix: SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX,
        });
        applied[schema] = [...applied[schema]!, ...shared.applied];
      }
      await grantSchema(sql, schema, owner, services[service].role);
      for (const other of SERVICE_NAMES) {
        if (other !== service) await revokeSchema(sql, schema, services[other].role);
      }
    }
    return { owner, services, applied };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
