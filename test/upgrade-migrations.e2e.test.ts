// An upgrade onto a database that holds data: this release's migrations run on what the last one wrote
// (docs/operations.md, "Upgrading, with migrations"), on the embedded database or DATABASE_URL's.

import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HUB_SCHEMAS } from '@hub/all-in-one';
import {
  connect,
  createScratchDatabase,
  migrate,
  MigrationRefusedError,
  startDatabase,
  type Database,
  type DatabaseServer,
  type ScratchDatabase,
} from '@hub/platform';

let scratch: ScratchDatabase;
let server: DatabaseServer;
let db: Database;
const folders: string[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase('upgrade', process.env['DATABASE_URL']);
  server = await startDatabase(scratch.config);
  db = connect(server.url, { name: 'test' });
});

afterAll(async () => {
  await db?.close();
  await server?.close();
  await scratch?.drop();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** A schema's migrations as the last release had them: those before `first`, in a folder of their own. */
async function migrationsBefore(schema: string, first: string): Promise<{ before: string; now: string }> {
  const now = HUB_SCHEMAS.find((s) => s.schema === schema)!.migrationsDir;
  const before = await mkdtemp(join(tmpdir(), `hub-upgrade-${schema}-`));
  folders.push(before);
  for (const file of await readdir(now)) {
    if (file.endsWith('.sql') && file < first) await copyFile(join(now, file), join(before, file));
  }
  return { before, now };
}

it('a disclosure protection set before its history was kept is taken as set since the epoch, until its latest until', async () => {
  const hub = await migrationsBefore('hub', '025_');
  await migrate(db.sql, 'hub', hub.before);
  await db.sql`insert into hub.municipality (code, name, prefecture) values ('990001', '試験市', '試験県')`;
  await db.sql`
    insert into hub.agency (id, name, domain, kind, municipality_code, jurisdiction)
    values ('test-dv', '試験の配偶者暴力相談支援センター', 'CHILD_DV', '配偶者暴力相談支援センター', '990001', '{990001}')`;
  const until = new Date(Date.now() + 3_600_000);
  await db.sql`
    insert into hub.disclosure_protection (person_id, set_by, set_by_staff, until)
    values ('00000000-0000-4000-8000-000000000001', 'test-dv', 'staff-1', ${until})`;

  expect((await migrate(db.sql, 'hub', hub.now)).applied).toContain('025_disclosure_protection_history.sql');
  const kept = await db.sql<{ setAt: Date; until: Date }[]>`
    select set_at, until from hub.disclosure_protection_change`;
  expect(kept).toEqual([{ setAt: new Date(0), until }]);
});

it("child-dv's records closed before closedAt existed are taken as closed when it ran; several open DV cases of one person stop the upgrade, changing nothing", async () => {
  const childDv = await migrationsBefore('child_dv', '007_');
  await migrate(db.sql, 'child_dv', childDv.before);
  const person = '00000000-0000-4000-8000-000000000002';
  await db.sql`insert into child_dv.dv_case (person_id, agency_id, status) values (${person}, 'test-dv', 'CLOSED')`;
  const [first] = await db.sql<{ id: string }[]>`
    insert into child_dv.dv_case (person_id, agency_id) values (${person}, 'test-dv') returning id`;
  await db.sql`insert into child_dv.dv_case (person_id, agency_id) values (${person}, 'test-dv')`;

  const refused = await migrate(db.sql, 'child_dv', childDv.now).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(MigrationRefusedError);
  expect((refused as Error).message).toMatch(/^migration child_dv\/008_one_open_dv_case\.sql refused to run/);
  // Nothing of 007 or 008 stays: the schema is as the last release left it.
  const recorded = await db.sql<{ name: string }[]>`select name from child_dv.schema_migrations where name >= '007'`;
  expect(recorded).toEqual([]);
  const columns = await db.sql`
    select 1 from information_schema.columns where table_schema = 'child_dv' and column_name = 'closed_at'`;
  expect(columns).toHaveLength(0);

  // One of her open cases closed, the upgrade goes through (to 008: 009 has a test of its own, below).
  await db.sql`update child_dv.dv_case set status = 'CLOSED' where id = ${first!.id}`;
  const to008 = await migrationsBefore('child_dv', '009_');
  expect((await migrate(db.sql, 'child_dv', to008.before)).applied).toEqual([
    '007_closed_at.sql',
    '008_one_open_dv_case.sql',
  ]);
  const cases = await db.sql<{ status: string; closed: boolean }[]>`
    select status, closed_at is not null as closed from child_dv.dv_case where person_id = ${person} order by status`;
  expect(cases).toEqual([
    { status: 'CLOSED', closed: true },
    { status: 'CLOSED', closed: true },
    { status: 'CONSULTING', closed: false },
  ]);
});

it('a report triaged before child-dv kept its first triage keeps the time it has as both; from then on the first stays, whatever release writes it', async () => {
  const childDv = await migrationsBefore('child_dv', '009_');
  expect((await migrate(db.sql, 'child_dv', childDv.before)).applied).toEqual([]);
  const triagedAt = new Date('2026-11-02T01:00:00Z');
  const [report] = await db.sql<{ id: string }[]>`
    insert into child_dv.abuse_report
      (person_id, reporter_agency_id, kind, urgency, receiving_agency_id, status, triaged_at)
    values ('00000000-0000-4000-8000-000000000003', 'test-a', 'NEGLECT', 'PROMPT', 'test-dv', 'ACKNOWLEDGED',
            ${triagedAt})
    returning id`;

  expect((await migrate(db.sql, 'child_dv', childDv.now)).applied).toEqual(['009_first_triage.sql']);
  const times = () => db.sql<{ triagedAt: Date; updatedAt: Date }[]>`
    select triaged_at, updated_at from child_dv.abuse_report where id = ${report!.id}`;
  expect(await times()).toEqual([{ triagedAt, updatedAt: triagedAt }]);

  // A triage by the release before, during a rolling upgrade, writes triaged_at again: the first stays.
  await db.sql`
    update child_dv.abuse_report set status = 'INVESTIGATING', triaged_at = now(), triage_note = '調査中'
    where id = ${report!.id}`;
  const [after] = await times();
  expect(after!.triagedAt).toEqual(triagedAt);
  expect(after!.updatedAt.getTime()).toBeGreaterThan(triagedAt.getTime());
});

it('several open cases of one person from before the one-case rule stay as they are and the upgrade runs; a case opened beside them is refused', async () => {
  const welfare = await migrationsBefore('welfare', '006_');
  await migrate(db.sql, 'welfare', welfare.before);
  const person = '00000000-0000-4000-8000-000000000004';
  await db.sql`
    insert into welfare.person (id, name, name_kana, birth_date, municipality_code)
    values (${person}, '試験 太郎', 'シケン タロウ', '1980-01-01', '990001')`;
  const open = (status: string, openedAt: string) => db.sql<{ id: string }[]>`
    insert into welfare.support_case (person_id, lead_agency_id, status, opened_at, municipality_code)
    values (${person}, 'test-welfare', ${status}, ${openedAt}, '990001') returning id`;
  await open('CLOSED', '2026-01-01T00:00:00Z');
  const [kept] = await open('ACTIVE', '2026-02-01T00:00:00Z');
  const [beside] = await open('INTAKE', '2026-03-01T00:00:00Z');
  await db.sql`
    insert into welfare.case_event (case_id, from_status, to_status, agency_id)
    values (${kept!.id}, 'INTAKE', 'ACTIVE', 'test-welfare')`;

  expect((await migrate(db.sql, 'welfare', welfare.now)).applied).toEqual([
    '006_one_open_case.sql',
    '007_case_issues_added.sql',
  ]);
  // A change of status the release before recorded added no issue (007).
  expect(await db.sql`select added_issues from welfare.case_event where case_id = ${kept!.id}`).toEqual([
    { addedIssues: [] },
  ]);
  const cases = await db.sql<{ id: string; status: string; openBesideAnother: boolean }[]>`
    select id, status, open_beside_another from welfare.support_case
    where person_id = ${person} and status <> 'CLOSED' order by opened_at`;
  expect(cases).toEqual([
    { id: kept!.id, status: 'ACTIVE', openBesideAnother: false },
    { id: beside!.id, status: 'INTAKE', openBesideAnother: true },
  ]);

  const refused = await open('INTAKE', '2026-04-01T00:00:00Z').catch((error: unknown) => error);
  expect(refused).toMatchObject({ code: '23505', constraint_name: 'support_case_one_open_idx' });
});
