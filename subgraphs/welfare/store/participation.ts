// Participation (参加支援): a person's recorded wishes and constraints, and the community places
// (居場所) a person may belong to.

import { oneEach, validUuids, type Sql } from '@hub/platform';

export interface ParticipationProfileRow {
  personId: string;
  wishes: string[];
  maxHoursPerWeek: number | null;
  setting: string;
  nearArea: string | null;
  notes: string | null;
  agencyId: string;
  updatedAt: Date;
}

export type ParticipationProfileInput = Omit<ParticipationProfileRow, 'updatedAt'>;

export interface CommunityPlaceRow {
  id: string;
  name: string;
  kind: string;
  operator: string;
  location: string;
  openDays: string;
}

export function createParticipationStore(sql: Sql) {
  return {
    participationProfile: oneEach<string, ParticipationProfileRow>(
      (ids) => sql<ParticipationProfileRow[]>`
        select * from welfare.participation_profile where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),
    communityPlace: oneEach<string, CommunityPlaceRow>(
      (ids) => sql<CommunityPlaceRow[]>`
        select * from welfare.community_place where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),

    communityPlaces(kind: string | null): Promise<CommunityPlaceRow[]> {
      return sql<CommunityPlaceRow[]>`
        select * from welfare.community_place
        ${kind ? sql`where kind = ${kind}` : sql``}
        order by name`;
    },

    /** One statement: the profile is replaced whole, so there is nothing to half-write. */
    async recordParticipationProfile(input: ParticipationProfileInput): Promise<ParticipationProfileRow> {
      const [row] = await sql<ParticipationProfileRow[]>`
        insert into welfare.participation_profile
          (person_id, wishes, max_hours_per_week, setting, near_area, notes, agency_id)
        values (${input.personId}, ${input.wishes}, ${input.maxHoursPerWeek}, ${input.setting}, ${input.nearArea},
                ${input.notes}, ${input.agencyId})
        on conflict (person_id) do update
        set wishes = excluded.wishes, max_hours_per_week = excluded.max_hours_per_week, setting = excluded.setting,
            near_area = excluded.near_area, notes = excluded.notes, agency_id = excluded.agency_id,
            updated_at = now()
        returning *`;
      return row!;
    },
  };
}
