// When a change to the bases took effect. A revocation, a member's removal, a meeting's close, an
// emergency's review and an agency switched off are timed when the row changes, not when their transaction
// began: a change that waited for a lock (another change of the same record) is no earlier than its wait.
// The access log times each decision when it is made; an end timed at its transaction's start would stand
// before reads that were still decided on the bases as they were, and a person's disclosure view would show
// reads "after" a revocation that had not yet taken effect.

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { convene, grantConsent } from './support/bases.js';
import { holdLock } from './support/faults.js';
import { queryAs, useConnection, useTestHub } from './support/hub.js';

const hub = useTestHub();
const db = useConnection(hub, 'test-change-times', 2);

const welfare = AGENCIES.minaminoWelfare.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const son = residentId('yamada-son');

/**
 * Holds `lock` from a connection of the test's own while `change` runs, and lets go after `change` has had time
 * to reach it; resolves to the database's clock when it let go and to what `change` answered.
 */
async function heldBack<T>(lock: (tx: typeof db.sql) => Promise<unknown>, change: () => Promise<T>) {
  const held = await holdLock(db.sql, lock);
  const answer = change();
  await new Promise((resolve) => setTimeout(resolve, 400));
  held.release();
  const [letGoAt, answered] = await Promise.all([held.done, answer]);
  return { letGoAt, answered };
}

const ok = async <T>(agency: string, query: string, variables: Record<string, unknown>): Promise<T> => {
  const result = await queryAs<T>(hub, agency, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
};

// A second connection holds a row lock: the embedded database serves one at a time.
describe.skipIf(!process.env['DATABASE_URL'])('a change to the bases is timed when it takes effect', () => {
  it('a revocation held back by a lock on its consent is timed after the wait (revokedAt)', async () => {
    const consent = await grantConsent(hub, collaborator, {
      personId: son,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const { letGoAt, answered } = await heldBack(
      (tx) => tx`select 1 from hub.consent where id = ${consent} for update`,
      () =>
        ok<{ revokeConsent: { revokedAt: string } }>(
          collaborator,
          'mutation ($id: ID!) { revokeConsent(id: $id, reason: "本人の申出") { revokedAt } }',
          { id: consent },
        ),
    );
    expect(new Date(answered.revokeConsent.revokedAt).getTime()).toBeGreaterThanOrEqual(letGoAt.getTime());
  });

  it("a meeting's close and a member's removal held back by a lock on the meeting are timed after the wait", async () => {
    const meeting = await convene(hub, welfare, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [son],
      sharedCategories: ['EMPLOYMENT'],
    });
    const lockMeeting = (tx: typeof db.sql) => tx`select 1 from hub.meeting where id = ${meeting} for update`;

    const removal = await heldBack(lockMeeting, () =>
      ok(welfare, 'mutation ($m: ID!, $a: ID!) { removeMeetingMember(meetingId: $m, agencyId: $a) { id } }', {
        m: meeting,
        a: helloWork,
      }),
    );
    const [member] = await db.sql<{ removedAt: Date }[]>`
      select removed_at from hub.meeting_member where meeting_id = ${meeting} and agency_id = ${helloWork}`;
    expect(member!.removedAt.getTime()).toBeGreaterThanOrEqual(removal.letGoAt.getTime());

    const close = await heldBack(lockMeeting, () =>
      ok<{ closeMeeting: { closedAt: string } }>(
        welfare,
        'mutation ($id: ID!) { closeMeeting(id: $id) { closedAt } }',
        {
          id: meeting,
        },
      ),
    );
    expect(new Date(close.answered.closeMeeting.closedAt).getTime()).toBeGreaterThanOrEqual(close.letGoAt.getTime());
  });
});
