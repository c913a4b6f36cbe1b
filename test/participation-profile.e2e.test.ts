// 参加支援: a resident's wishes and constraints for participation matching are welfare case data
// (WELFARE_CASE), recorded by welfare agencies and read by others only on a legal basis.

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import { expectDeniedUnasked, grantConsent } from './support/bases.js';
import { useTestHub } from './support/hub.js';
import { COLLABORATOR, mutate, refusal, registerResident } from './support/welfare.js';

const hub = useTestHub();

const HELLO_WORK = AGENCIES.helloWorkMinamino.id;
const SILVER = AGENCIES.minaminoSilver.id;

interface Profile {
  wishes: string[];
  maxHoursPerWeek: number | null;
  setting: string | null;
  nearArea: string | null;
  notes: string | null;
  updatedAt: string;
  agencyId: string;
}

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordParticipationProfileInput!) {
    recordParticipationProfile(input: $input) {
      wishes
      maxHoursPerWeek
      setting
      nearArea
      notes
      updatedAt
      agencyId
    }
  }
`;

const READ = /* GraphQL */ `
  query Profile($id: ID!) {
    person(id: $id) {
      participationProfile {
        wishes
        maxHoursPerWeek
        setting
        nearArea
        notes
        updatedAt
        agencyId
      }
    }
  }
`;

async function read(personId: string, agency: string = COLLABORATOR) {
  return hub.query<{ person: { participationProfile: Profile | null } }>({ agency }, READ, { id: personId });
}

describe('participation profile', () => {
  it('the 8050 household’s withdrawn son has a demo profile to match: light outdoor work near 北山', async () => {
    const result = await read(residentId('yamada-son'));
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.participationProfile).toMatchObject({
      wishes: ['LIGHT_WORK', 'ENVIRONMENT', 'PLACE_TO_BELONG'],
      maxHoursPerWeek: 6,
      setting: 'OUTDOOR',
      nearArea: '北山',
    });
  });

  it('is null until recorded, and recording again replaces it whole', async () => {
    const personId = await registerResident(hub);
    expect((await read(personId)).data!.person.participationProfile).toBeNull();

    const first = await mutate<Profile>(hub, COLLABORATOR, RECORD, {
      input: {
        personId,
        wishes: ['VOLUNTEER', 'PLACE_TO_BELONG', 'VOLUNTEER'],
        maxHoursPerWeek: 8,
        setting: 'INDOOR',
        nearArea: ' 若葉町 ',
        notes: '午前中のみ',
      },
    });
    expect(first).toMatchObject({
      wishes: ['VOLUNTEER', 'PLACE_TO_BELONG'],
      maxHoursPerWeek: 8,
      setting: 'INDOOR',
      nearArea: '若葉町',
      notes: '午前中のみ',
      agencyId: COLLABORATOR,
    });

    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    await mutate(hub, houkatsu, RECORD, { input: { personId, wishes: ['PAID_WORK'] } });
    const replaced = (await read(personId)).data!.person.participationProfile!;
    expect(replaced).toMatchObject({
      wishes: ['PAID_WORK'],
      maxHoursPerWeek: null,
      setting: 'EITHER',
      nearArea: null,
      notes: null,
      agencyId: houkatsu,
    });
    expect(Date.parse(replaced.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
  });

  it('refuses hours per week outside 1 to 60 (BAD_USER_INPUT) and keeps the profile as it was', async () => {
    const personId = await registerResident(hub);
    await mutate(hub, COLLABORATOR, RECORD, { input: { personId, wishes: ['LEARNING'], maxHoursPerWeek: 10 } });
    const before = (await read(personId)).data;
    for (const maxHoursPerWeek of [0, 61]) {
      const result = await hub.query({ agency: COLLABORATOR }, RECORD, {
        input: { personId, wishes: ['PAID_WORK'], maxHoursPerWeek },
      });
      expect(refusal(result)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'maxHoursPerWeek' });
    }
    expect((await read(personId)).data).toEqual(before);
  });

  it('an unknown person is refused as one outside the jurisdiction, and welfare is never asked', async () => {
    hub.forget();
    const result = await hub.query({ agency: COLLABORATOR }, RECORD, {
      input: { personId: '00000000-0000-4000-8000-000000000000', wishes: ['PAID_WORK'] },
    });
    expect(refusal(result)).toMatchObject({ code: 'FORBIDDEN' });
    expect(result.errors?.[0]?.extensions?.['reason']).toBe('OUTSIDE_JURISDICTION');
    expect(hub.received('welfare')).toHaveLength(0);
  });
});

describe('who may see and record a participation profile', () => {
  it('an agency of another domain without a basis gets FORBIDDEN (NO_LEGAL_BASIS), and welfare is never asked', async () => {
    const takahashi = residentId('takahashi');
    const result = await read(takahashi, SILVER);
    expectDeniedUnasked(hub, result, 'welfare', {
      category: 'WELFARE_CASE',
      reason: 'NO_LEGAL_BASIS',
      personId: takahashi,
      path: ['person', 'participationProfile'],
    });
  });

  it('with the person’s consent naming the agency and WELFARE_CASE, the profile is read', async () => {
    const watanabe = residentId('watanabe');
    await grantConsent(hub, COLLABORATOR, {
      personId: watanabe,
      recipientAgencyIds: [HELLO_WORK],
      categories: ['WELFARE_CASE'],
    });
    const result = await read(watanabe, HELLO_WORK);
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.participationProfile).toMatchObject({ wishes: ['PAID_WORK', 'LIGHT_WORK'] });
  });

  it('an agency of another domain recording a profile gets NOT_OWN_DOMAIN, and nothing changes', async () => {
    const son = residentId('yamada-son');
    const before = (await read(son)).data;
    for (const agency of [HELLO_WORK, SILVER]) {
      const result = await hub.query({ agency }, RECORD, { input: { personId: son, wishes: ['PAID_WORK'] } });
      expect(refusal(result)).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_OWN_DOMAIN' });
    }
    expect((await read(son)).data).toEqual(before);
  });
});
