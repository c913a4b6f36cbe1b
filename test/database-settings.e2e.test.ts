// A real PostgreSQL whose own date settings are not the defaults: a database set to DateStyle `SQL, DMY` and
// a time zone with a historical offset. The hub reads the same dates and instants it wrote, as on any other.

import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCIES, createScratchDatabase, residentId, type ScratchDatabase } from '@hub/platform';
import { startTestHub, type TestHub } from './support/hub.js';
import { mutate } from './support/welfare.js';

const serverUrl = process.env['DATABASE_URL'];
const welfare = AGENCIES.minaminoWelfare.id;

describe.skipIf(!serverUrl)('a database with its own DateStyle and time zone (real PostgreSQL only)', () => {
  let database: ScratchDatabase;
  let hub: TestHub;

  beforeAll(async () => {
    database = await createScratchDatabase('datestyle', serverUrl);
    if (database.config.kind !== 'url') throw new Error('a PostgreSQL database was expected');
    const name = new URL(database.config.url).pathname.slice(1);
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`alter database "${name}" set datestyle = 'SQL, DMY'`);
    await admin.unsafe(`alter database "${name}" set timezone = 'Pacific/Kiritimati'`);
    await admin.end();
    hub = await startTestHub(database);
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await database?.drop();
  });

  it('a birth date is read back as it was registered (SQL, DMY would read 2026-12-06 as 12 June)', async () => {
    for (const birthDate of ['2024-02-29', '2008-12-20', '2015-12-06']) {
      const person = await mutate<{ id: string; birthDate: string }>(
        hub,
        welfare,
        /* GraphQL */ `
          mutation ($birthDate: Date!) {
            registerPerson(
              input: {
                name: "日付 確認"
                nameKana: "ひづけ かくにん"
                birthDate: $birthDate
                municipalityCode: "990001"
              }
            ) {
              id
              birthDate
            }
          }
        `,
        { birthDate },
      );
      expect(person.birthDate).toBe(birthDate);
    }
  });

  it("a meeting's start is read back as the instant it was given", async () => {
    const meeting = await mutate<{ startsAt: string; active: boolean }>(
      hub,
      welfare,
      /* GraphQL */ `
        mutation ($subject: ID!) {
          conveneMeeting(
            input: {
              kind: SUPPORT_MEETING
              title: "日付の確認"
              subjectPersonIds: [$subject]
              sharedCategories: [WELFARE_CASE]
              startsAt: "2026-12-01T10:00:00+09:00"
            }
          ) {
            startsAt
            active
          }
        }
      `,
      { subject: residentId('watanabe') },
    );
    expect(meeting.startsAt).toBe('2026-12-01T01:00:00.000Z');
    expect(meeting.active).toBe(true);
  });
});
