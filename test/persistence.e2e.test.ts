// Data lives in the database, not in the processes: migrations run once, the demo seed loads once,
// and what was written survives a restart of the whole hub.

import { afterAll, beforeAll, expect, it } from 'vitest';
import postgres from 'postgres';
import { AGENCIES, SUBGRAPHS } from '@hub/platform';
import { createTestDatabase, startTestHub, type TestDatabase, type TestHub } from './support/hub.js';

let database: TestDatabase;
let hub: TestHub | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await hub?.close();
  await database?.drop();
});

const asWelfare = { agency: AGENCIES.minaminoWelfare.id };

it('migrates every schema, loads the demo data on first start, and keeps written data across a restart', async () => {
  hub = await startTestHub(database);
  expect(hub.seeded).toBe(true);

  // Every service migrated into its own schema.
  const sql = postgres(hub.database.url, { max: 1, onnotice: () => {} });
  const schemas = await sql<{ name: string }[]>`
    select schema_name as name from information_schema.schemata
    where schema_name = any(${[...SUBGRAPHS.map((s) => s.dbSchema), 'hub']})`;
  const migrations = await sql<
    { count: string }[]
  >`select count(*) from welfare.schema_migrations where name like '%.sql'`;
  await sql.end();
  expect(schemas.map((s) => s.name).sort()).toEqual([...SUBGRAPHS.map((s) => s.dbSchema), 'hub'].sort());
  expect(Number(migrations[0]!.count)).toBeGreaterThan(0);

  const written = await hub.query<{ registerPerson: { id: string } }>(
    asWelfare,
    /* GraphQL */ `
      mutation {
        registerPerson(
          input: { name: "再起 花", nameKana: "サイキ ハナ", birthDate: "1990-02-02", municipalityCode: "990001" }
        ) {
          id
        }
      }
    `,
  );
  const id = written.data!.registerPerson.id;
  const countBefore = await hub.query<{ agencies: unknown[] }>(asWelfare, '{ agencies { id } }');

  await hub.close();
  hub = await startTestHub(database);

  // A second start applies no migration again and does not load the demo data twice.
  expect(hub.seeded).toBe(false);
  const countAfter = await hub.query<{ agencies: unknown[] }>(asWelfare, '{ agencies { id } }');
  expect(countAfter.data!.agencies).toHaveLength(countBefore.data!.agencies.length);

  const read = await hub.query<{ person: { name: string } }>(asWelfare, `{ person(id: "${id}") { name } }`);
  expect(read.data!.person.name).toBe('再起 花');
});

it('runs migrations idempotently: a restart leaves each schema_migrations row single', async () => {
  const sql = postgres(hub!.database.url, { max: 1, onnotice: () => {} });
  for (const { dbSchema } of SUBGRAPHS) {
    const rows = await sql<{ name: string; n: string }[]>`
      select name, count(*) as n from ${sql(dbSchema)}.schema_migrations group by name having count(*) > 1`;
    expect(rows).toEqual([]);
  }
  await sql.end();
});
