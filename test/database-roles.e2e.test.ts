// Least privilege between the hub's own services, on a real PostgreSQL: npm run db:roles gives every
// service a role with rights on its own schema only, and the gateway's role may only append to and read
// the access log. Roles are cluster-wide, so each run names its own and drops them afterwards.

import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_SCHEMAS, setUpHubRoles } from '@hub/all-in-one';
import {
  AGENCIES,
  checkMigrated,
  connectionLimit,
  createScratchDatabase,
  SUBGRAPH_PLATFORM_MIGRATIONS_DIR,
  SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX,
  migrate,
  SchemaNotReadyError,
  SERVICE_NAMES,
  type DatabaseRoles,
  type ScratchDatabase,
  type ServiceName,
} from '@hub/platform';
import { startTestHub, type TestHub } from './support/hub.js';

const serverUrl = process.env['DATABASE_URL'];
const INSUFFICIENT_PRIVILEGE = '42501';

describe.skipIf(!serverUrl)('database roles (real PostgreSQL only: the embedded database has one role)', () => {
  const prefix = `hub_t${randomBytes(4).toString('hex')}`;
  let database: ScratchDatabase;
  let adminUrl: string;
  let admin: Sql;
  let roles: DatabaseRoles;
  let hub: TestHub | undefined;
  const connections = new Map<ServiceName, Sql>();

  /** A connection as the service's own runtime role. */
  function as(service: ServiceName): Sql {
    let sql = connections.get(service);
    if (!sql) {
      sql = postgres(roles.services[service].url, { max: 1, onnotice: () => {} });
      connections.set(service, sql);
    }
    return sql;
  }

  async function refused(service: ServiceName, statement: string): Promise<void> {
    await expect(as(service).unsafe(statement), `${service}: ${statement}`).rejects.toMatchObject({
      code: INSUFFICIENT_PRIVILEGE,
    });
  }

  /** One table of each schema (besides its migration record), to try reading across schemas. */
  async function tableOf(schema: string): Promise<string> {
    const [row] = await admin<{ name: string }[]>`
      select tablename as name from pg_tables
      where schemaname = ${schema} and tablename <> 'schema_migrations' order by tablename limit 1`;
    return `${schema}.${row!.name}`;
  }

  const schemaOf = (service: ServiceName) => HUB_SCHEMAS.find((s) => s.service === service)!.schema;
  const subgraphRoles = SERVICE_NAMES.filter((s) => s !== 'gateway');

  beforeAll(async () => {
    database = await createScratchDatabase('roles', serverUrl);
    if (database.config.kind !== 'url') throw new Error('a scratch database on DATABASE_URL was expected');
    adminUrl = database.config.url;
    admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const first = await setUpHubRoles({ adminUrl, prefix });
    // The second run is the deployment's next one: the same URLs, nothing left to migrate.
    roles = await setUpHubRoles({
      adminUrl,
      prefix,
      serviceUrls: Object.fromEntries(SERVICE_NAMES.map((s) => [s, first.services[s].url])),
    });
    expect(Object.values(first.services).map((s) => s.password)).toEqual(SERVICE_NAMES.map(() => 'generated'));
    expect(Object.values(roles.applied).flat()).toEqual([]);
  });

  afterAll(async () => {
    await hub?.close();
    for (const sql of connections.values()) await sql.end({ timeout: 5 });
    await admin?.end({ timeout: 5 });
    await database?.drop();
    if (!roles) return;
    // Their rights lived in the dropped database; the roles themselves are the server's.
    const server = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    try {
      for (const role of [...Object.values(roles.services).map((s) => s.role), roles.owner]) {
        await server.unsafe(`drop role if exists ${role}`);
      }
    } finally {
      await server.end({ timeout: 5 });
    }
  });

  it("the employment role cannot read the DV centre's protected whereabouts", async () => {
    await refused('employment', 'select * from child_dv.protected_whereabouts');
  });

  it("no subgraph role reads another service's schema", async () => {
    for (const service of subgraphRoles) {
      for (const other of HUB_SCHEMAS.filter((s) => s.service !== service)) {
        await refused(service, `select * from ${await tableOf(other.schema)} limit 1`);
      }
    }
  });

  it('the gateway role reads no agency schema', async () => {
    for (const service of subgraphRoles) {
      await refused('gateway', `select * from ${await tableOf(schemaOf(service))} limit 1`);
    }
  });

  it("the gateway role's changes to the bases bump their version (the triggers run as the role that writes)", async () => {
    const version = async () =>
      BigInt((await as('gateway')<{ v: string }[]>`select version::text as v from hub.bases_version`)[0]!.v);
    await as('gateway')`
      insert into hub.municipality (code, name, prefecture) values ('990009', '試験町', '試験県')
      on conflict (code) do nothing`;
    const before = await version();
    await as('gateway')`
      insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction)
      values ('roles-test-agency', '試験の機関', 'WELFARE', '福祉事務所', '990009', '{990009}')`;
    expect(await version()).toBe(before + 1n);
    // A statement that changes no row leaves the version (migration 023).
    await as('gateway')`update hub.agency set rate_limit_per_minute = 1 where id = 'no-such-agency'`;
    expect(await version()).toBe(before + 1n);
  });

  it('the gateway role may not update, delete or truncate the access log', async () => {
    await refused('gateway', `update hub.audit_log set purpose = 'rewritten'`);
    await refused('gateway', 'delete from hub.audit_log');
    await refused('gateway', 'truncate hub.audit_log');
    // Nor pick an entry's id: one far above the rest would become the tip every append chains after.
    await refused(
      'gateway',
      `insert into hub.audit_log (id, at, agency_id, staff_id, person_id, categories, allowed, basis, prev_hash, hash)
       overriding system value
       values (9000000000000000000, now(), 'x', 'x', 'x', '{IDENTITY}', true, 'OWN_DOMAIN', 'p', 'h')`,
    );
  });

  it("the gateway role may append to and read the agency register's changes, never update, delete or truncate them", async () => {
    const [row] = await as('gateway')<{ id: string }[]>`
      insert into hub.agency_change (
        agency_id, change, agency_domain, agency_municipality_code, changed_by_agency_id, changed_by_staff_id,
        request_id, jurisdiction_after, active_after)
      values ('roles-test-agency', 'REGISTERED', 'WELFARE', '990009', 'x', 'x', 'x', '{990009}', true)
      returning id`;
    expect(row).toBeDefined();
    expect(await as('gateway')`select id from hub.agency_change where id = ${row!.id}`).toHaveLength(1);
    await refused('gateway', `update hub.agency_change set jurisdiction_after = '{990001}'`);
    await refused('gateway', 'delete from hub.agency_change');
    await refused('gateway', 'truncate hub.agency_change');
  });

  it("the gateway role's disclosure protections are kept as it sets them (the trigger runs as the role that writes), never updated, deleted or truncated", async () => {
    await as('gateway')`
      insert into hub.municipality (code, name, prefecture) values ('990009', '試験町', '試験県')
      on conflict (code) do nothing`;
    await as('gateway')`
      insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction)
      values ('roles-test-dv', '試験の配偶者暴力相談支援センター', 'CHILD_DV', '配偶者暴力相談支援センター', '990009', '{990009}')
      on conflict (id) do nothing`;
    const person = randomUUID();
    for (const days of [1, 0]) {
      await as('gateway')`
        insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until)
        values (${person}, 'roles-test-dv', 'staff-1', now() + ${days} * interval '1 day')
        on conflict (person_id, set_by) do update set until = excluded.until, set_at = now()`;
    }
    expect(
      await as('gateway')`select id from hub.disclosure_protection_change where person_id = ${person}`,
    ).toHaveLength(2);
    await refused('gateway', `update hub.disclosure_protection_change set until = now()`);
    await refused('gateway', 'delete from hub.disclosure_protection_change');
    await refused('gateway', 'truncate hub.disclosure_protection_change');
  });

  it("the child-DV role's closing of a case says when it closed (the trigger runs as the role that writes)", async () => {
    const [row] = await as('child-dv')<{ closed_at: Date | null }[]>`
      insert into child_dv.dv_case (person_id, agency_id, status) values (${randomUUID()}, 'roles-test-dv', 'CLOSED')
      returning closed_at`;
    expect(row!.closed_at).toBeInstanceOf(Date);
  });

  it("the gateway role may not change or delete the key that seals the access log's ids", async () => {
    await refused('gateway', `update hub.access_log_id_key set key = decode(repeat('00', 32), 'hex')`);
    await refused('gateway', 'delete from hub.access_log_id_key');
    await refused('gateway', 'truncate hub.access_log_id_key');
  });

  it("the gateway role may not disable, drop or take over the access log's triggers", async () => {
    await refused('gateway', 'alter table hub.audit_log disable trigger audit_log_no_update_or_delete');
    await refused('gateway', 'alter table hub.audit_log disable trigger all');
    await refused('gateway', 'drop trigger audit_log_no_truncate on hub.audit_log');
    await refused('gateway', `alter table hub.audit_log owner to ${roles.services.gateway.role}`);
    await refused('gateway', 'drop table hub.audit_log');
  });

  it('no service role records, rewrites or erases a migration (the owner would skip one it recorded)', async () => {
    for (const service of SERVICE_NAMES) {
      const schema = schemaOf(service);
      await refused(service, `insert into ${schema}.schema_migrations (name) values ('999_security_fix.sql')`);
      await refused(service, `update ${schema}.schema_migrations set name = name`);
      await refused(service, `delete from ${schema}.schema_migrations`);
      expect(await as(service).unsafe(`select count(*) from ${schema}.schema_migrations`)).toHaveLength(1);
    }
  });

  it('no service role runs DDL on its own schema', async () => {
    for (const service of SERVICE_NAMES) {
      const schema = schemaOf(service);
      const table = await tableOf(schema);
      await refused(service, `create table ${schema}.smuggled (id int)`);
      await refused(service, `alter table ${table} add column smuggled text`);
      await refused(service, `drop table ${table}`);
      await refused(service, `create table public.smuggled (id int)`);
    }
  });

  it('no service role creates temporary tables or functions, and a role not granted CONNECT by name does not connect', async () => {
    for (const service of SERVICE_NAMES) {
      await refused(service, 'create temp table smuggled (id int)');
      await refused(service, `create function pg_temp.smuggled() returns int language sql as 'select 1'`);
    }
    const [{ database: name } = { database: '' }] = await admin<{ database: string }[]>`
      select current_database() as database`;
    // Another role of the server (another hub's, a monitoring one) connects once granted CONNECT by hand.
    const stranger = `${prefix}_stranger`;
    const password = randomBytes(12).toString('hex');
    await admin.unsafe(`create role ${stranger} login password '${password}'`);
    const url = new URL(adminUrl);
    url.username = stranger;
    url.password = password;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await expect(sql`select 1`).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
      await admin.unsafe(`grant connect on database "${name}" to ${stranger}`);
      await expect(sql`select 1 as one`).resolves.toEqual([{ one: 1 }]);
      await expect(sql.unsafe('create temp table smuggled (id int)')).rejects.toMatchObject({
        code: INSUFFICIENT_PRIVILEGE,
      });
    } finally {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`revoke all on database "${name}" from ${stranger}`);
      await admin.unsafe(`drop role ${stranger}`);
    }
  });

  it("no service role reads another schema's statistics (its row counts, its inserts) or another session's locks; a member of pg_monitor does", async () => {
    for (const service of SERVICE_NAMES) {
      await refused(service, `select n_live_tup from pg_stat_all_tables where schemaname = 'child_dv'`);
      await refused(service, 'select relname, n_tup_ins from pg_stat_user_tables');
      await refused(service, 'select heap_blks_read from pg_statio_all_tables');
      await refused(service, 'select idx_scan from pg_stat_all_indexes');
      // Nor through the functions the views read.
      await refused(service, `select pg_stat_get_tuples_inserted(oid) from pg_class where relname = 'dv_case'`);
      await refused(service, `select pg_stat_get_live_tuples(oid) from pg_class where relname = 'consent'`);
      // Nor another session's locks: a table locked for a write tells when a record was made.
      await refused(service, 'select relation, mode from pg_locks');
      await refused(service, 'select * from pg_lock_status()');
      // The services' metrics count their connections in pg_stat_activity, which stays readable.
      await expect(as(service)`select count(*) from pg_stat_activity`).resolves.toHaveLength(1);
    }
    const [{ database: name } = { database: '' }] = await admin<{ database: string }[]>`
      select current_database() as database`;
    const monitor = `${prefix}_monitor`;
    const password = randomBytes(12).toString('hex');
    await admin.unsafe(`create role ${monitor} login password '${password}' in role pg_monitor`);
    await admin.unsafe(`grant connect on database "${name}" to ${monitor}`);
    const url = new URL(adminUrl);
    url.username = monitor;
    url.password = password;
    const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`select n_live_tup from pg_stat_all_tables where schemaname = 'child_dv'`;
      expect(rows.length).toBeGreaterThan(0);
      await expect(sql`select count(*) from pg_locks`).resolves.toHaveLength(1);
    } finally {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`revoke all on database "${name}" from ${monitor}`);
      await admin.unsafe(`drop role ${monitor}`);
    }
  });

  it("each service's role has a connection limit: one replica's connections times the replicas allowed for", async () => {
    const limits = async () =>
      Object.fromEntries(
        (
          await admin<{ role: string; limit: number }[]>`
            select rolname as role, rolconnlimit as limit from pg_roles
            where rolname = any(${SERVICE_NAMES.map((s) => roles.services[s].role)})`
        ).map((r) => [r.role, r.limit]),
      );
    // Four replicas by default: the gateway's pool of 8, a subgraph's 4 and its 2 for signatures.
    expect(await limits()).toEqual(
      Object.fromEntries(SERVICE_NAMES.map((s) => [roles.services[s].role, s === 'gateway' ? 32 : 24])),
    );
    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url]));
    await setUpHubRoles({ adminUrl, prefix, serviceUrls: urls, replicas: 1 });
    try {
      expect(await limits()).toEqual(
        Object.fromEntries(SERVICE_NAMES.map((s) => [roles.services[s].role, connectionLimit(s, 1)])),
      );
      // The limit holds: the environment role opens its 6 connections and no more.
      const pool = postgres(roles.services.environment.url, { max: 10, onnotice: () => {} });
      const held: { release(): void }[] = [];
      let refusal: unknown;
      try {
        for (let i = 0; i < 8 && !refusal; i++) {
          await pool.reserve().then(
            (connection) => held.push(connection),
            (error: unknown) => (refusal = error),
          );
        }
        expect(refusal).toMatchObject({ code: '53300' });
        expect(held.length).toBeLessThanOrEqual(6);
      } finally {
        for (const connection of held) connection.release();
        await pool.end({ timeout: 5 });
      }
    } finally {
      await setUpHubRoles({ adminUrl, prefix, serviceUrls: urls });
    }
    expect((await limits())[roles.services.gateway.role]).toBe(32);
  });

  it('a table a later migration adds is granted to its own service only', async () => {
    await admin.begin(async (tx) => {
      await tx.unsafe(`set local role ${roles.owner}`);
      await tx.unsafe('create table welfare.later_note (id int generated always as identity primary key, note text)');
    });
    const [row] = await as('welfare')`insert into welfare.later_note (note) values ('ok') returning id`;
    expect(row).toBeDefined();
    await refused('employment', 'select * from welfare.later_note');
  });

  it('an append-only table a later migration adds is only appended to and read, once the grant step reran', async () => {
    await admin.begin(async (tx) => {
      await tx.unsafe(`set local role ${roles.owner}`);
      await tx.unsafe('create table hub.later_checkpoint (id int generated always as identity, hash text not null)');
      await tx.unsafe(`create function hub.later_checkpoint_is_append_only() returns trigger language plpgsql as $$
        begin raise exception 'append-only'; end $$`);
      await tx.unsafe(`create trigger later_checkpoint_no_update before update or delete on hub.later_checkpoint
        for each row execute function hub.later_checkpoint_is_append_only()`);
    });
    await setUpHubRoles({
      adminUrl,
      prefix,
      serviceUrls: Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url])),
    });
    await as('gateway')`insert into hub.later_checkpoint (hash) values ('h1')`;
    expect(await as('gateway')`select hash from hub.later_checkpoint`).toEqual([{ hash: 'h1' }]);
    await refused('gateway', `update hub.later_checkpoint set hash = 'h2'`);
    await refused('gateway', 'delete from hub.later_checkpoint');
  });

  it("hands a one-role deployment's schemas, with everything in them, to the owner", async () => {
    const earlier = await createScratchDatabase('handover', serverUrl);
    if (earlier.config.kind !== 'url') throw new Error('a scratch database on DATABASE_URL was expected');
    const sql = postgres(earlier.config.url, { max: 1, onnotice: () => {} });
    try {
      // As before roles: the administrator migrated every schema itself, and owns it all.
      for (const { service, schema, migrationsDir } of HUB_SCHEMAS) {
        await migrate(sql, schema, migrationsDir);
        // Each subgraph also made the platform's own tables in its schema (the used signatures).
        if (service !== 'gateway') {
          await migrate(sql, schema, SUBGRAPH_PLATFORM_MIGRATIONS_DIR, { prefix: SUBGRAPH_PLATFORM_MIGRATIONS_PREFIX });
        }
      }
      await sql`create type welfare.earlier_mood as enum ('calm')`;
      const again = await setUpHubRoles({
        adminUrl: earlier.config.url,
        prefix,
        serviceUrls: Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url])),
      });
      expect(Object.values(again.applied).flat()).toEqual([]);
      const schemas = HUB_SCHEMAS.map((s) => s.schema);
      const notOwners = await sql<{ name: string }[]>`
        select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(${schemas}) and c.relkind not in ('i', 'I') and pg_get_userbyid(c.relowner) <> ${roles.owner}
        union all
        select nspname from pg_namespace where nspname = any(${schemas}) and pg_get_userbyid(nspowner) <> ${roles.owner}
        union all
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = any(${schemas}) and pg_get_userbyid(p.proowner) <> ${roles.owner}
        union all
        select t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
        where n.nspname = any(${schemas}) and t.typtype = 'e' and pg_get_userbyid(t.typowner) <> ${roles.owner}`;
      expect(notOwners).toEqual([]);
    } finally {
      await sql.end({ timeout: 5 });
      await earlier.drop();
    }
  });

  it('a rerun takes from a service role what it was given besides its own schema: memberships and grants on another schema', async () => {
    const [welfareRole, gatewayRole, employmentRole] = (['welfare', 'gateway', 'employment'] as const).map(
      (service) => roles.services[service].role,
    );
    await admin.unsafe(`grant pg_read_all_data to ${welfareRole}`);
    await admin.unsafe(`grant ${roles.owner} to ${gatewayRole}`);
    await admin.unsafe(`grant usage on schema hub to ${welfareRole}`);
    await admin.unsafe(`grant select, insert on hub.audit_log to ${welfareRole}`);
    await admin.unsafe(`grant usage on schema child_dv to ${employmentRole}`);
    await admin.unsafe(`grant select on all tables in schema child_dv to ${employmentRole}`);
    // Granted by hand, each works: the test would prove nothing otherwise.
    await expect(as('welfare').unsafe('select count(*) from hub.audit_log')).resolves.toBeDefined();

    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url]));
    await setUpHubRoles({ adminUrl, prefix, serviceUrls: urls });
    const memberships = await admin<{ member: string }[]>`
      select u.rolname as member from pg_auth_members m join pg_roles u on u.oid = m.member
      where u.rolname = any(${[welfareRole!, gatewayRole!, employmentRole!]})`;
    expect(memberships).toEqual([]);
    await refused('welfare', 'select count(*) from hub.audit_log');
    await refused('employment', 'select * from child_dv.protected_whereabouts');
    await expect(as('gateway').unsafe(`set role ${roles.owner}`)).rejects.toMatchObject({ code: '42501' });
    // Its own schema stays its own.
    await expect(
      as('welfare').unsafe(`select * from ${await tableOf(schemaOf('welfare'))} limit 1`),
    ).resolves.toBeDefined();
  });

  it('a rerun takes from a service role what it was given by hand on its own schema and the database (CREATE, TRUNCATE, TRIGGER), and its settings and attributes', async () => {
    const [gatewayRole, childDvRole, welfareRole] = (['gateway', 'child-dv', 'welfare'] as const).map(
      (service) => roles.services[service].role,
    );
    const [{ database: name } = { database: '' }] = await admin<{ database: string }[]>`
      select current_database() as database`;
    await admin.unsafe(`grant create on schema hub to ${gatewayRole}`);
    await admin.unsafe(`grant truncate, trigger, references on hub.consent to ${gatewayRole}`);
    await admin.unsafe(`grant create on database "${name}" to ${childDvRole}`);
    await admin.unsafe(`grant create on schema public to ${welfareRole}`);
    // Settings and attributes of the role: the gateway's triggers would stop firing under replica.
    await admin.unsafe(`alter role ${gatewayRole} set session_replication_role = replica`);
    await admin.unsafe(`alter role ${welfareRole} in database "${name}" set search_path = child_dv`);
    await admin.unsafe(`alter role ${childDvRole} replication`);
    const rights = async () =>
      (
        await admin<{ right: boolean }[]>`
          select has_schema_privilege(${gatewayRole!}, 'hub', 'CREATE') as right
          union all select has_table_privilege(${gatewayRole!}, 'hub.consent', 'TRUNCATE')
          union all select has_table_privilege(${gatewayRole!}, 'hub.consent', 'TRIGGER')
          union all select has_table_privilege(${gatewayRole!}, 'hub.consent', 'REFERENCES')
          union all select has_database_privilege(${childDvRole!}, ${name}, 'CREATE')
          union all select has_schema_privilege(${welfareRole!}, 'public', 'CREATE')
          union all select exists (select 1 from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
                                   where r.rolname = any(${[gatewayRole!, welfareRole!]}))
          union all select rolreplication from pg_roles where rolname = ${childDvRole!}`
      ).map((r) => r.right);
    // Granted by hand, each is held: the test would prove nothing otherwise.
    expect(await rights()).toEqual([true, true, true, true, true, true, true, true]);

    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url]));
    await setUpHubRoles({ adminUrl, prefix, serviceUrls: urls });
    expect(await rights()).toEqual([false, false, false, false, false, false, false, false]);
    await refused('gateway', 'create table hub.by_hand (a int)');
    await refused('child-dv', 'create schema by_hand');
    await refused('welfare', 'create table public.by_hand (a int)');
    // What it needs stays: the gateway still records consents and appends to the log.
    await expect(as('gateway').unsafe('select count(*) from hub.consent')).resolves.toBeDefined();
    expect(await admin`select has_table_privilege(${gatewayRole!}, 'hub.consent', 'UPDATE') as right`).toEqual([
      { right: true },
    ]);
  });

  it("refuses a service URL that names the administrator, or another service's role", async () => {
    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url]));
    await expect(setUpHubRoles({ adminUrl, prefix, serviceUrls: { ...urls, welfare: adminUrl } })).rejects.toThrow(
      /privileged/,
    );
    await expect(
      setUpHubRoles({ adminUrl, prefix, serviceUrls: { ...urls, employment: urls['child-dv']! } }),
    ).rejects.toThrow(/is named for child-dv and employment: each service needs a role of its own/);
    const [me] = await admin<{ super: boolean }[]>`select rolsuper as super from pg_roles where rolname = current_user`;
    expect(me!.super).toBe(true);
  });

  it('a service with its own role refuses to start while one of its migrations is pending', async () => {
    const welfare = HUB_SCHEMAS.find((s) => s.service === 'welfare')!;
    const dir = await mkdtemp(join(tmpdir(), 'hub-pending-'));
    try {
      await cp(welfare.migrationsDir, dir, { recursive: true });
      await expect(checkMigrated(as('welfare'), 'welfare', dir)).resolves.toBeUndefined();
      await writeFile(join(dir, '999_not_yet.sql'), 'create table welfare.not_yet (id int);');
      await expect(checkMigrated(as('welfare'), 'welfare', dir)).rejects.toBeInstanceOf(SchemaNotReadyError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a service refuses to start on its own URL when that names a privileged role: the administrator, or a member of the schema's owner", async () => {
    const urls = Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url]));
    await expect(startTestHub(database, { serviceDatabaseUrls: { ...urls, welfare: adminUrl } })).rejects.toThrow(
      /is a superuser/,
    );
    const employmentRole = roles.services.employment.role;
    await admin.unsafe(`grant ${roles.owner} to ${employmentRole}`);
    try {
      await expect(startTestHub(database, { serviceDatabaseUrls: urls })).rejects.toThrow(
        new RegExp(`${employmentRole} this service connects as is a member of ${roles.owner}`),
      );
    } finally {
      await admin.unsafe(`revoke ${roles.owner} from ${employmentRole}`);
    }
  });

  it('the whole hub runs on per-service roles: it answers through the gateway and appends to the access log', async () => {
    hub = await startTestHub(database, {
      serviceDatabaseUrls: Object.fromEntries(SERVICE_NAMES.map((s) => [s, roles.services[s].url])),
    });
    const agency = { agency: AGENCIES.minaminoCollaborator.id };
    const registered = await hub.query<{ registerPerson: { id: string } }>(
      agency,
      /* GraphQL */ `
        mutation {
          registerPerson(
            input: { name: "試験 花子", nameKana: "シケン ハナコ", birthDate: "1975-04-01", municipalityCode: "990001" }
          ) {
            id
          }
        }
      `,
    );
    expect(registered.errors).toBeUndefined();
    const personId = registered.data!.registerPerson.id;
    const logged = async () =>
      (
        await admin<
          { n: number }[]
        >`select count(*)::int as n from hub.audit_log where person_ids @> array[${personId}::text]`
      )[0]!.n;
    const before = await logged();
    const read = await hub.query<{ person: { name: string } }>(
      agency,
      /* GraphQL */ `
        query PersonName($id: ID!) {
          person(id: $id) {
            name
          }
        }
      `,
      { id: personId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.person.name).toBe('試験 花子');
    expect(await logged()).toBeGreaterThan(before);
  });
});
