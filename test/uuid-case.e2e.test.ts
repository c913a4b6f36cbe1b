// A UUID is one id whatever the case of its letters: the same person read, declared about or consented
// for, and the same entries in the access log.

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { readAccessLog } from './support/bases.js';
import { useTestHub } from './support/hub.js';

const hub = useTestHub();

const welfare = AGENCIES.minaminoWelfare.id;
// An agency of the person's town with no basis of its own for IDENTITY.
const declarer = AGENCIES.minaminoSilver.id;
const takahashi = residentId('takahashi');
const TAKAHASHI = takahashi.toUpperCase();

describe('a person id in upper case', () => {
  it('reads the same person as in lower case, alone and in a list', async () => {
    const read = (id: string) =>
      hub.query(
        { agency: welfare },
        `query ($id: ID!) { person(id: $id) { id name } people(ids: [$id]) { id name } }`,
        {
          id,
        },
      );
    const lower = await read(takahashi);
    expect(lower.errors).toBeUndefined();
    expect(lower.data!['person']).not.toBeNull();
    expect(await read(TAKAHASHI)).toEqual(lower);
  });

  it('an emergency declared with it opens the person, and is the one the access log names', async () => {
    const declared = await hub.query<{ declareEmergency: { personId: string } }>(
      { agency: declarer },
      `mutation ($id: ID!) { declareEmergency(input: { personId: $id, categories: [IDENTITY], reason: "安否確認" }) { personId } }`,
      { id: TAKAHASHI },
    );
    expect(declared.data!.declareEmergency.personId).toBe(takahashi);
    const read = await hub.query<{ person: { name: string } }>(
      { agency: declarer },
      `query ($id: ID!) { person(id: $id) { name } }`,
      { id: takahashi },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.person.name).toEqual(expect.any(String));
    expect(await readAccessLog(hub, takahashi, welfare)).toContainEqual(
      expect.objectContaining({ agency: { id: declarer }, basis: 'EMERGENCY', allowed: true }),
    );
  });

  it('a consent or a meeting of a resident the caller serves is recorded, in lower case', async () => {
    const granted = await hub.query<{ grantConsent: { personId: string } }>(
      { agency: welfare },
      `mutation ($id: ID!) { grantConsent(input: { personId: $id, recipientAgencyIds: ["${AGENCIES.minaminoCollaborator.id}"], categories: [WELFARE_CASE], purpose: "支援プラン作成", validFrom: "2020-01-01T00:00:00Z", validUntil: "2100-01-01T00:00:00Z", method: WRITTEN, evidenceRef: "同意書-大文字" }) { personId } }`,
      { id: TAKAHASHI },
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantConsent.personId).toBe(takahashi);
    const convened = await hub.query<{ conveneMeeting: { subjectPersonIds: string[] } }>(
      { agency: welfare },
      `mutation ($id: ID!) { conveneMeeting(input: { kind: SUPPORT_MEETING, title: "個別ケース検討会議", subjectPersonIds: [$id], sharedCategories: [WELFARE_CASE], startsAt: "2020-01-01T00:00:00Z", endsAt: "2100-01-01T00:00:00Z" }) { subjectPersonIds } }`,
      { id: TAKAHASHI },
    );
    expect(convened.errors).toBeUndefined();
    expect(convened.data!.conveneMeeting.subjectPersonIds).toEqual([takahashi]);
  });

  it('a welfare record of a resident the caller serves is recorded for her, in lower case', async () => {
    const collaborator = AGENCIES.minaminoCollaborator.id;
    const recorded = await hub.query<{ recordConsultation: { id: string } }>(
      { agency: collaborator },
      `mutation ($id: ID!) { recordConsultation(input: { personId: $id, channel: VISIT, agencyKind: ELDERLY, summary: "大文字の id で受付" }) { id } }`,
      { id: TAKAHASHI },
    );
    expect(recorded.errors).toBeUndefined();
    const read = await hub.query<{ person: { consultations: { id: string }[] } }>(
      { agency: collaborator },
      `query ($id: ID!) { person(id: $id) { consultations { id } } }`,
      { id: takahashi },
    );
    expect(read.data!.person.consultations.map((c) => c.id)).toContain(recorded.data!.recordConsultation.id);
  });
});
