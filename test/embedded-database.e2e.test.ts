// The embedded database on its thread: a new data directory is created (by initdb once, then as a copy of
// the fresh one), opened again, and run with the hub's settings; a schema that is up to date is checked
// with one read, no transaction and no lock.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connect,
  createScratchDatabase,
  DataDirectoryInUseError,
  EMBEDDED_SETTINGS,
  migrate,
  MigrationRefusedError,
  startDatabase,
  startupRefusal,
} from '@hub/platform';
import type { DatabaseServer, ScratchDatabase } from '@hub/platform';

let scratch: ScratchDatabase;
let server: DatabaseServer | undefined;
let migrations: string;

beforeAll(async () => {
  scratch = await createScratchDatabase('embedded');
  migrations = await mkdtemp(join(tmpdir(), 'hub-migrations-'));
});

afterAll(async () => {
  await server?.close();
  await scratch?.drop();
  await rm(migrations, { recursive: true, force: true });
});

it('creates a new data directory, keeps what was written when opened again, and runs with the small-VM settings', async () => {
  if (scratch.config.kind !== 'embedded') throw new Error('an embedded scratch database was expected');
  server = await startDatabase(scratch.config);
  const first = connect(server.url, { name: 'test' });
  await first.sql`create table kept (id int primary key)`;
  await first.sql`insert into kept values (1)`;
  await first.close();
  await server.close();

  server = await startDatabase(scratch.config);
  const again = connect(server.url, { name: 'test' });
  try {
    expect(await again.sql`select id from kept`).toEqual([{ id: 1 }]);
    const [shared] = await again.sql<{ sharedBuffers: string }[]>`show shared_buffers`;
    expect(shared!.sharedBuffers).toBe(EMBEDDED_SETTINGS['shared_buffers']);
  } finally {
    await again.close();
  }
});

it('migrates what is pending, and checks an up-to-date schema with one statement', async () => {
  const db = connect(server!.url, { name: 'test' });
  try {
    await writeFile(join(migrations, '001_first.sql'), 'create table first (id int primary key);');
    await writeFile(join(migrations, '002_second.sql'), 'create table second (id int primary key);');
    expect((await migrate(db.sql, 'checked', migrations)).applied).toEqual(['001_first.sql', '002_second.sql']);

    const before = db.statementCount();
    const again = await migrate(db.sql, 'checked', migrations);
    expect(again).toEqual({ applied: [], skipped: ['001_first.sql', '002_second.sql'] });
    expect(db.statementCount() - before).toBe(1);

    // A new file is applied under the lock, once.
    await writeFile(join(migrations, '003_third.sql'), 'create table third (id int primary key);');
    expect((await migrate(db.sql, 'checked', migrations)).applied).toEqual(['003_third.sql']);
    const after = db.statementCount();
    expect((await migrate(db.sql, 'checked', migrations)).applied).toEqual([]);
    expect(db.statementCount() - after).toBe(1);
    const [recorded] = await db.sql<{ n: number }[]>`select count(*)::int as n from checked.schema_migrations`;
    expect(recorded!.n).toBe(3);
  } finally {
    await db.close();
  }
});

it('a migration that refuses the data it finds leaves its schema as it was, and says so in one line', async () => {
  const db = connect(server!.url, { name: 'test' });
  const refusing = await mkdtemp(join(tmpdir(), 'hub-migrations-refusing-'));
  try {
    await writeFile(join(refusing, '001_table.sql'), 'create table held (id int primary key);');
    expect((await migrate(db.sql, 'refusing', refusing)).applied).toEqual(['001_table.sql']);
    await db.sql`insert into refusing.held values (1), (2)`;
    await writeFile(
      join(refusing, '002_one_row.sql'),
      `alter table held add column note text;
       do $$ begin
         if (select count(*) from held) > 1 then raise exception 'held holds several rows: keep one'; end if;
       end $$;`,
    );
    const refused = await migrate(db.sql, 'refusing', refusing).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MigrationRefusedError);
    expect(startupRefusal(refused)).toBe(
      'migration refusing/002_one_row.sql refused to run, and refusing is as it was: held holds several rows: keep one',
    );
    const [recorded] = await db.sql<{ n: number }[]>`select count(*)::int as n from refusing.schema_migrations`;
    expect(recorded!.n).toBe(1);
    const columns = await db.sql`
      select 1 from information_schema.columns where table_schema = 'refusing' and column_name = 'note'`;
    expect(columns).toHaveLength(0);
  } finally {
    await db.close();
    await rm(refusing, { recursive: true, force: true });
  }
});

it('runs initdb for the first new data directory only; the next ones are copies of the fresh one, without what was written since', async () => {
  const templatesDir = await mkdtemp(join(tmpdir(), 'hub-templates-'));
  const first = await createScratchDatabase('embedded');
  const second = await createScratchDatabase('embedded');
  try {
    if (first.config.kind !== 'embedded' || second.config.kind !== 'embedded') throw new Error('embedded expected');
    const one = await startDatabase(first.config, { templatesDir });
    const db = connect(one.url, { name: 'test' });
    await db.sql`create table written_after (id int)`;
    await db.close();
    await one.close();
    const kept = await readdir(templatesDir);
    expect(kept).toHaveLength(1);
    // A file only the kept directory has: found in the next new directory, it was copied, not initdb's.
    await writeFile(join(templatesDir, kept[0]!, 'copied-from-the-fresh-directory'), '');

    const two = await startDatabase(second.config, { templatesDir });
    const again = connect(two.url, { name: 'test' });
    try {
      expect(existsSync(join(second.config.dir, 'copied-from-the-fresh-directory'))).toBe(true);
      const [table] = await again.sql<{ found: string | null }[]>`select to_regclass('written_after')::text as found`;
      expect(table!.found).toBeNull();
    } finally {
      await again.close();
      await two.close();
    }
    expect(await readdir(templatesDir)).toEqual(kept);
  } finally {
    await first.drop();
    await second.drop();
    await rm(templatesDir, { recursive: true, force: true });
  }
});

it("tells its thread's memory: the thread's V8 heap and PGlite's WebAssembly heap", async () => {
  const memory = await server!.memory();
  expect(memory).not.toBeNull();
  // PGlite's WebAssembly memory cannot start below 128 MB (2048 pages of 64 KiB).
  expect(memory!.wasmBytes).toBeGreaterThanOrEqual(2048 * 65536);
  expect(memory!.heapUsed).toBeGreaterThan(0);
  expect(memory!.heapTotal).toBeGreaterThanOrEqual(memory!.heapUsed);
});

it("tells its thread's id in the operating system, a thread of this process whose CPU time a meter can read", async () => {
  const memory = await server!.memory();
  if (process.platform !== 'linux') return expect(memory!.osThreadId).toBeNull();
  const id = memory!.osThreadId!;
  expect(id).not.toBe(process.pid);
  const stat = readFileSync(`/proc/${process.pid}/task/${id}/stat`, 'utf8');
  expect(stat.startsWith(`${id} (`)).toBe(true);
});

it('opens a data directory in one process at a time: a second opening is refused while the first holds it', async () => {
  const own = await createScratchDatabase('locked');
  if (own.config.kind !== 'embedded') throw new Error('an embedded scratch database was expected');
  const lockFile = `${own.config.dir}.lock`;
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    const first = await startDatabase(own.config);
    const writes = connect(first.url, { name: 'test' });
    await writes.sql`create table kept (id int primary key)`;
    await writes.sql`insert into kept values (1)`;
    await expect(startDatabase(own.config)).rejects.toThrow(DataDirectoryInUseError);
    await writes.close();
    await first.close();
    expect(existsSync(lockFile)).toBe(false);

    // Another live process holding it: refused, naming that process, and nothing written to the directory.
    await writeFile(lockFile, `${other.pid}\n`);
    await expect(startDatabase(own.config)).rejects.toThrow(`in use by process ${other.pid}`);

    // Left behind by a process that has ended: taken over, and what was written is there.
    other.kill();
    await new Promise((resolve) => other.once('exit', resolve));
    const again = await startDatabase(own.config);
    const reads = connect(again.url, { name: 'test' });
    try {
      expect(await reads.sql`select id from kept`).toEqual([{ id: 1 }]);
    } finally {
      await reads.close();
      await again.close();
    }
  } finally {
    other.kill();
    await own.drop();
  }
});
