// アウトリーチとひきこもり支援 (別添1): trust with the family before a first home visit, peer supporters'
// visits counted, and hikikomori support that moves one step at a time from the family to society.

import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId, residentId } from '@hub/platform';
import { readAccessLog } from './support/bases.js';
import { useTestHub } from './support/hub.js';
import { mutate, refusal, registerResident } from './support/welfare.js';

const hub = useTestHub();

const HIKIKOMORI = AGENCIES.minaminoHikikomori.id;
const KOKORO = AGENCIES.minaminoKokoro.id;
const HELLO_WORK = AGENCIES.helloWorkMinamino.id;

const OUTREACH = /* GraphQL */ `
  mutation Outreach($input: RecordOutreachInput!) {
    recordOutreach(input: $input) {
      method
      relationshipStage
      agencyId
    }
  }
`;

const START = /* GraphQL */ `
  mutation Start($input: StartHikikomoriSupportInput!) {
    startHikikomoriSupport(input: $input) {
      stage
      peerSupporterVisits
    }
  }
`;

const PEER_VISIT = /* GraphQL */ `
  mutation PeerVisit($input: RecordPeerSupporterVisitInput!) {
    recordPeerSupporterVisit(input: $input) {
      peerSupporterVisits
    }
  }
`;

const STAGE = /* GraphQL */ `
  mutation Stage($input: AdvanceHikikomoriStageInput!) {
    advanceHikikomoriStage(input: $input) {
      stage
    }
  }
`;

interface OutreachView {
  relationshipStage: string | null;
  outreachRecords: { method: string; relationshipStage: string; agencyId: string; note: string | null }[];
  hikikomoriSupport: {
    stage: string;
    peerSupporterVisits: number;
    history: { note: string; stage: string | null; supporterName: string | null }[];
  } | null;
}

const READ = /* GraphQL */ `
  query Outreach($id: ID!) {
    person(id: $id) {
      relationshipStage
      outreachRecords {
        method
        relationshipStage
        agencyId
        note
      }
      hikikomoriSupport {
        stage
        peerSupporterVisits
        history {
          note
          stage
          supporterName
        }
      }
    }
  }
`;

async function read(personId: string): Promise<OutreachView> {
  const result = await hub.query<{ person: OutreachView }>({ agency: HIKIKOMORI }, READ, { id: personId });
  expect(result.errors).toBeUndefined();
  return result.data!.person;
}

async function outreach(personId: string, method: string, relationshipStage: string) {
  return hub.query({ agency: HIKIKOMORI }, OUTREACH, { input: { personId, method, relationshipStage, note: '記録' } });
}

async function supported(): Promise<string> {
  const personId = await registerResident(hub, HIKIKOMORI);
  await mutate(hub, HIKIKOMORI, START, { input: { personId, withdrawnSince: 2012, note: '母からの相談' } });
  return personId;
}

describe('outreach: trust before the first home visit (別添1 2(3))', () => {
  it('a home visit is refused before an earlier record reached FAMILY_TRUST, and nothing is recorded', async () => {
    const personId = await registerResident(hub, HIKIKOMORI);
    expect((await outreach(personId, 'LETTER', 'NO_CONTACT')).errors).toBeUndefined();
    expect((await outreach(personId, 'FAMILY_MEETING', 'FAMILY_CONTACT')).errors).toBeUndefined();
    const visit = await outreach(personId, 'HOME_VISIT', 'FAMILY_CONTACT');
    expect(refusal(visit)).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'HOME_VISIT_BEFORE_FAMILY_TRUST',
      argument: 'method',
    });
    expect((await read(personId)).outreachRecords.map((r) => r.method)).toEqual(['LETTER', 'FAMILY_MEETING']);
  });

  it('the home visit itself cannot claim the trust: a first record of HOME_VISIT at FAMILY_TRUST is refused', async () => {
    const personId = await registerResident(hub, HIKIKOMORI);
    const visit = await outreach(personId, 'HOME_VISIT', 'FAMILY_TRUST');
    expect(refusal(visit).reason).toBe('HOME_VISIT_BEFORE_FAMILY_TRUST');
    expect((await read(personId)).outreachRecords).toEqual([]);
  });

  it('a home visit is allowed once an earlier record reached FAMILY_TRUST, PERSON_CONTACT or ONGOING', async () => {
    for (const stage of ['FAMILY_TRUST', 'PERSON_CONTACT', 'ONGOING']) {
      const personId = await registerResident(hub, HIKIKOMORI);
      expect((await outreach(personId, 'FAMILY_MEETING', stage)).errors).toBeUndefined();
      const visit = await outreach(personId, 'HOME_VISIT', 'PERSON_CONTACT');
      expect(visit.errors, stage).toBeUndefined();
      expect((await read(personId)).outreachRecords.map((r) => r.method)).toEqual(['FAMILY_MEETING', 'HOME_VISIT']);
    }
  });

  it('the person’s relationship stage is that of the latest outreach record', async () => {
    const personId = await registerResident(hub, HIKIKOMORI);
    expect((await read(personId)).relationshipStage).toBeNull();
    await outreach(personId, 'LETTER', 'NO_CONTACT');
    await outreach(personId, 'FAMILY_MEETING', 'FAMILY_TRUST');
    expect((await read(personId)).relationshipStage).toBe('FAMILY_TRUST');
  });
});

describe('peer supporters (ひきこもりサポーター, 別添1 3(2))', () => {
  it('a peer supporter’s visit is counted, added to the history and recorded as PEER_SUPPORTER_VISIT outreach, its note in the history (HIKIKOMORI) only', async () => {
    const personId = await supported();
    await outreach(personId, 'FAMILY_MEETING', 'FAMILY_TRUST');
    const first = await mutate<{ peerSupporterVisits: number }>(hub, HIKIKOMORI, PEER_VISIT, {
      input: { personId, supporterName: '試験 サポーター', note: '母の話を傾聴' },
    });
    expect(first.peerSupporterVisits).toBe(1);
    await mutate(hub, HIKIKOMORI, PEER_VISIT, { input: { personId, note: '本人と玄関先で挨拶' } });
    const view = await read(personId);
    expect(view.hikikomoriSupport!.peerSupporterVisits).toBe(2);
    expect(view.hikikomoriSupport!.history.slice(-2)).toEqual([
      { note: '母の話を傾聴', stage: null, supporterName: '試験 サポーター' },
      { note: '本人と玄関先で挨拶', stage: null, supporterName: null },
    ]);
    // The outreach record is WELFARE_CASE: a basis for it alone must not read the hikikomori visit's note.
    expect(view.outreachRecords.slice(-2)).toEqual([
      { method: 'PEER_SUPPORTER_VISIT', relationshipStage: 'FAMILY_TRUST', agencyId: HIKIKOMORI, note: null },
      { method: 'PEER_SUPPORTER_VISIT', relationshipStage: 'FAMILY_TRUST', agencyId: HIKIKOMORI, note: null },
    ]);
  });

  it('outreach recorded with method PEER_SUPPORTER_VISIT counts the same as the peer-supporter mutation', async () => {
    const personId = await supported();
    expect((await outreach(personId, 'PEER_SUPPORTER_VISIT', 'FAMILY_CONTACT')).errors).toBeUndefined();
    const support = (await read(personId)).hikikomoriSupport!;
    expect(support.peerSupporterVisits).toBe(1);
    expect(support.history.at(-1)).toEqual({ note: '記録', stage: null, supporterName: null });
  });

  it('counts on from the demo’s visits for the 8050 household’s son', async () => {
    const son = residentId('yamada-son');
    const before = (await read(son)).hikikomoriSupport!.peerSupporterVisits;
    await mutate(hub, HIKIKOMORI, PEER_VISIT, { input: { personId: son, note: '居場所の話をした' } });
    expect((await read(son)).hikikomoriSupport!.peerSupporterVisits).toBe(before + 1);
  });

  it('a peer-supporter visit needs hikikomori support (NO_HIKIKOMORI_SUPPORT), and records nothing', async () => {
    const personId = await registerResident(hub, HIKIKOMORI);
    const result = await hub.query({ agency: HIKIKOMORI }, PEER_VISIT, { input: { personId, note: '訪問' } });
    expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_HIKIKOMORI_SUPPORT' });
    // Recorded as outreach of that method alike: it would be counted nowhere and its note lost.
    const asOutreach = await outreach(personId, 'PEER_SUPPORTER_VISIT', 'FAMILY_CONTACT');
    expect(refusal(asOutreach)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_HIKIKOMORI_SUPPORT' });
    expect((await read(personId)).outreachRecords).toEqual([]);
  });
});

describe('hikikomori support stages', () => {
  it('starts with the family and goes one step at a time up to social participation, each step in the history', async () => {
    const personId = await supported();
    expect((await read(personId)).hikikomoriSupport!.stage).toBe('FAMILY_SUPPORT');
    for (const to of ['INDIVIDUAL_SUPPORT', 'GROUP_PARTICIPATION', 'SOCIAL_PARTICIPATION']) {
      const moved = await mutate<{ stage: string }>(hub, HIKIKOMORI, STAGE, { input: { personId, to } });
      expect(moved.stage).toBe(to);
    }
    const history = (await read(personId)).hikikomoriSupport!.history;
    expect(history.map((h) => h.stage)).toEqual([
      'FAMILY_SUPPORT',
      'INDIVIDUAL_SUPPORT',
      'GROUP_PARTICIPATION',
      'SOCIAL_PARTICIPATION',
    ]);
  });

  it('each entry of the history names the agency that recorded it: a step another welfare agency took is its', async () => {
    const personId = await supported();
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    await mutate(hub, houkatsu, STAGE, { input: { personId, to: 'INDIVIDUAL_SUPPORT' } });
    await mutate(hub, HIKIKOMORI, PEER_VISIT, { input: { personId, note: '訪問' } });
    const result = await hub.query<{
      person: { hikikomoriSupport: { history: { stage: string | null; agencyId: string }[] } };
    }>(
      { agency: HIKIKOMORI },
      'query ($id: ID!) { person(id: $id) { hikikomoriSupport { history { stage agencyId } } } }',
      { id: personId },
    );
    expect(result.data!.person.hikikomoriSupport.history).toEqual([
      { stage: 'FAMILY_SUPPORT', agencyId: HIKIKOMORI },
      { stage: 'INDIVIDUAL_SUPPORT', agencyId: houkatsu },
      { stage: null, agencyId: HIKIKOMORI },
    ]);
  });

  it('skipping a stage, going back or staying is ILLEGAL_TRANSITION and changes nothing', async () => {
    const personId = await supported();
    await mutate(hub, HIKIKOMORI, STAGE, { input: { personId, to: 'INDIVIDUAL_SUPPORT' } });
    const before = await read(personId);
    for (const to of ['SOCIAL_PARTICIPATION', 'FAMILY_SUPPORT', 'INDIVIDUAL_SUPPORT']) {
      const result = await hub.query({ agency: HIKIKOMORI }, STAGE, { input: { personId, to } });
      expect(refusal(result), to).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ILLEGAL_TRANSITION' });
    }
    expect(await read(personId)).toEqual(before);
  });

  it('nothing follows social participation', async () => {
    const ito = residentId('ito');
    const result = await hub.query({ agency: HIKIKOMORI }, STAGE, {
      input: { personId: ito, to: 'SOCIAL_PARTICIPATION' },
    });
    expect(refusal(result).reason).toBe('ILLEGAL_TRANSITION');
  });

  it('a person’s support is started once (ALREADY_SUPPORTED)', async () => {
    const personId = await supported();
    const again = await hub.query({ agency: HIKIKOMORI }, START, { input: { personId } });
    expect(refusal(again)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_SUPPORTED' });
  });

  it('a support may name its place to belong; an unknown place is NOT_FOUND', async () => {
    const personId = await registerResident(hub, HIKIKOMORI);
    const unknown = await hub.query({ agency: HIKIKOMORI }, START, {
      input: { personId, placeId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(refusal(unknown)).toMatchObject({ code: 'NOT_FOUND', argument: 'placeId' });
    const placeId = demoId('place:ibasho-kitayama');
    expect((await hub.query({ agency: HIKIKOMORI }, START, { input: { personId, placeId } })).errors).toBeUndefined();
  });
});

describe('who may record outreach and hikikomori support', () => {
  it("the household members an outreach record's answer reaches are decided and logged each on their own", async () => {
    const son = residentId('yamada-son');
    const father = residentId('yamada-father');
    const result = await hub.query<{ recordOutreach: { person: { household: { members: { id: string }[] } } } }>(
      { agency: HIKIKOMORI },
      /* GraphQL */ `
        mutation ($input: RecordOutreachInput!) {
          recordOutreach(input: $input) {
            person {
              household {
                members {
                  id
                  name
                }
              }
            }
          }
        }
      `,
      { input: { personId: son, method: 'HOME_VISIT', relationshipStage: 'PERSON_CONTACT', note: '記録' } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordOutreach.person.household.members.map((m) => m.id)).toContain(father);
    // The father's name was read: his access log says by whom, on which basis.
    const logged = await readAccessLog(hub, father);
    expect(logged).toContainEqual(
      expect.objectContaining({
        agency: { id: HIKIKOMORI },
        categories: expect.arrayContaining(['IDENTITY']),
        allowed: true,
        basis: 'OWN_DOMAIN',
      }),
    );
  });

  it('an agency of another domain gets NOT_OWN_DOMAIN for every outreach and hikikomori mutation, and nothing changes', async () => {
    const personId = await supported();
    await outreach(personId, 'FAMILY_MEETING', 'FAMILY_TRUST');
    const before = await read(personId);
    const attempts: [string, Record<string, unknown>][] = [
      [OUTREACH, { input: { personId, method: 'HOME_VISIT', relationshipStage: 'PERSON_CONTACT' } }],
      [START, { input: { personId } }],
      [PEER_VISIT, { input: { personId, note: '訪問' } }],
      [STAGE, { input: { personId, to: 'INDIVIDUAL_SUPPORT' } }],
    ];
    for (const agency of [KOKORO, HELLO_WORK]) {
      for (const [mutation, variables] of attempts) {
        const result = await hub.query({ agency }, mutation, variables);
        expect(refusal(result)).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN' });
      }
    }
    expect(await read(personId)).toEqual(before);
  });
});
