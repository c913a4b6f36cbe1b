// Outreach (アウトリーチ) and hikikomori support: contacts with a person and their family, the stages of
// support, and the peer supporters' visits, each recorded in the support's history.

import {
  ERRORS,
  oneEach,
  recordsByPerson,
  todayInJapan,
  validUuids,
  type Sql,
  type TransactionSql,
} from '@hub/platform';
import { homeVisitBeforeTrust, requireNextStage, TRUSTED_STAGES, type HikikomoriStage } from '../outreach.js';

export interface OutreachRow {
  id: string;
  personId: string;
  agencyId: string;
  contactedAt: Date;
  method: string;
  relationshipStage: string;
  note: string | null;
}

export interface HikikomoriRow {
  id: string;
  personId: string;
  withdrawnSince: number | null;
  stage: string;
  agencyId: string;
  familyClassAttendance: number;
  peerSupporterVisits: number;
  placeId: string | null;
  history: HikikomoriEventRow[];
}

export type HikikomoriEventRow = {
  on: string;
  note: string;
  /** Only on entries that moved the support to a stage. */
  stage?: HikikomoriStage;
  /** Only on a peer supporter's visit. */
  supporterName?: string | null;
  /** The agency that recorded the entry (absent on entries recorded before it was kept). */
  agencyId?: string;
};

export interface OutreachInput {
  personId: string;
  agencyId: string;
  method: string;
  relationshipStage: string;
  note: string | null;
  supporterName?: string | null;
}

/**
 * Records an outreach contact: a home visit only after trust with the family (別添1 2(3)); a peer
 * supporter's visit is also counted in the person's hikikomori support, with an entry in its history.
 * That visit's note is hikikomori support (HIKIKOMORI) and is kept in its history only: the outreach
 * record (WELFARE_CASE) holds none, or a basis for WELFARE_CASE alone would read it.
 */
async function insertOutreach(tx: TransactionSql, input: OutreachInput): Promise<OutreachRow> {
  // Counted in her hikikomori support, which must exist: recorded as plain outreach, the visit and its note
  // would be lost (NO_HIKIKOMORI_SUPPORT, as recordPeerSupporterVisit answers).
  if (input.method === 'PEER_SUPPORTER_VISIT') await lockHikikomoriSupport(tx, input.personId);
  if (input.method === 'HOME_VISIT') {
    const [trusted] = await tx`
      select 1 from welfare.outreach_record
      where person_id = ${input.personId}::uuid and relationship_stage = any(${[...TRUSTED_STAGES]}::text[])
      limit 1`;
    if (!trusted) homeVisitBeforeTrust();
  }
  const [row] = await tx<OutreachRow[]>`
    insert into welfare.outreach_record (person_id, agency_id, method, relationship_stage, note)
    values (${input.personId}, ${input.agencyId}, ${input.method}, ${input.relationshipStage},
            ${input.method === 'PEER_SUPPORTER_VISIT' ? null : input.note})
    returning *`;
  if (input.method === 'PEER_SUPPORTER_VISIT') {
    const entry: HikikomoriEventRow = {
      on: todayInJapan(),
      note: input.note ?? 'ひきこもりサポーターの訪問',
      supporterName: input.supporterName ?? null,
      agencyId: input.agencyId,
    };
    await tx`
      update welfare.hikikomori_support
      set peer_supporter_visits = peer_supporter_visits + 1, history = history || ${tx.json([entry])}
      where person_id = ${input.personId}::uuid`;
  }
  return row!;
}

async function lockHikikomoriSupport(tx: TransactionSql, personId: string): Promise<HikikomoriRow> {
  const [row] = await tx<HikikomoriRow[]>`
    select * from welfare.hikikomori_support where person_id = ${personId}::uuid for update`;
  if (!row) {
    throw ERRORS.BAD_USER_INPUT.err('The person has no hikikomori support', {
      reason: 'NO_HIKIKOMORI_SUPPORT',
      argument: 'personId',
    });
  }
  return row;
}

export function createOutreachStore(sql: Sql) {
  return {
    outreachRecords: recordsByPerson(
      (ids) => sql<OutreachRow[]>`
        select * from welfare.outreach_record where person_id = any(${ids}::uuid[]) order by contacted_at`,
    ),
    hikikomoriSupport: oneEach<string, HikikomoriRow>(
      (ids) => sql<HikikomoriRow[]>`
        select * from welfare.hikikomori_support where person_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.personId,
    ),

    recordOutreach(input: OutreachInput): Promise<OutreachRow> {
      return sql.begin((tx) => insertOutreach(tx, input));
    },

    /** Support begins with the family (FAMILY_SUPPORT); a person has one hikikomori support record. */
    startHikikomoriSupport(input: {
      personId: string;
      agencyId: string;
      withdrawnSince: number | null;
      placeId: string | null;
      note: string | null;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        if (input.placeId) {
          const [place] = await tx`select 1 from welfare.community_place where id = ${input.placeId}::uuid`;
          if (!place) throw ERRORS.NOT_FOUND.err('No place to belong with that id', { argument: 'placeId' });
        }
        const entry: HikikomoriEventRow = {
          on: todayInJapan(),
          note: input.note ?? 'ひきこもり支援の開始',
          stage: 'FAMILY_SUPPORT',
          agencyId: input.agencyId,
        };
        const [row] = await tx<HikikomoriRow[]>`
          insert into welfare.hikikomori_support (person_id, withdrawn_since, stage, agency_id, place_id, history)
          values (${input.personId}, ${input.withdrawnSince}, 'FAMILY_SUPPORT', ${input.agencyId}, ${input.placeId},
                  ${tx.json([entry])})
          on conflict (person_id) do nothing
          returning *`;
        if (!row) {
          throw ERRORS.BAD_USER_INPUT.err('The person already has hikikomori support', {
            reason: 'ALREADY_SUPPORTED',
            argument: 'personId',
          });
        }
        return row;
      });
    },

    /** 別添1 3(2): a peer supporter's visit, counted and recorded as outreach at the latest stage of trust. */
    recordPeerSupporterVisit(input: {
      personId: string;
      agencyId: string;
      supporterName: string | null;
      note: string;
      relationshipStage: string | null;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        await lockHikikomoriSupport(tx, input.personId);
        const [latest] = await tx<{ relationshipStage: string }[]>`
          select relationship_stage from welfare.outreach_record where person_id = ${input.personId}::uuid
          order by contacted_at desc limit 1`;
        await insertOutreach(tx, {
          ...input,
          method: 'PEER_SUPPORTER_VISIT',
          relationshipStage: input.relationshipStage ?? latest?.relationshipStage ?? 'FAMILY_CONTACT',
        });
        const [row] = await tx<HikikomoriRow[]>`
          select * from welfare.hikikomori_support where person_id = ${input.personId}::uuid`;
        return row!;
      });
    },

    advanceHikikomoriStage(input: {
      personId: string;
      to: HikikomoriStage;
      note: string | null;
      agencyId: string;
    }): Promise<HikikomoriRow> {
      return sql.begin(async (tx) => {
        const current = await lockHikikomoriSupport(tx, input.personId);
        requireNextStage(current.stage as HikikomoriStage, input.to);
        const entry: HikikomoriEventRow = {
          on: todayInJapan(),
          note: input.note ?? '支援の段階が進んだ',
          stage: input.to,
          agencyId: input.agencyId,
        };
        const [row] = await tx<HikikomoriRow[]>`
          update welfare.hikikomori_support set stage = ${input.to}, history = history || ${tx.json([entry])}
          where person_id = ${input.personId}::uuid
          returning *`;
        return row!;
      });
    },
  };
}
