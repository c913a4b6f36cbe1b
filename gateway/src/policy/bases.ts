// The bases of the decision: each person's consents, the meetings that cover them (with their members,
// past ones marked removed, and what the decision asks of each member agency: its domain, jurisdiction and
// whether it is switched off), emergency accesses and where they are registered, in one SQL statement for
// any number of persons; with it, the version of the bases that statement saw (migration 012).

import { inSpan, metrics, type DataCategory, type Domain, type Sql } from '@hub/platform';
import type { Bases, Consent, EmergencyAccess, Meeting, MeetingKind } from './decide.js';

/** What the statement returns for one person; timestamps are JSON strings (camelCase keys survive postgres.camel). */
export interface BasesRow {
  readonly id: string;
  readonly municipalityCode: string | null;
  readonly locationProtected: boolean | null;
  readonly movedAt: string | Date | null;
  readonly consents: readonly {
    id: string;
    personId: string;
    recipientAgencyIds: string[];
    obtainedBy: string;
    categories: string[];
    confirmedCategories: string[];
    validFrom: string;
    validUntil: string | null;
    revokedAt: string | null;
    recordedAt: string;
  }[];
  readonly meetings: readonly {
    id: string;
    kind: string;
    subjectPersonIds: string[];
    sharedCategories: string[];
    startsAt: string;
    endsAt: string | null;
    closedAt: string | null;
    municipalityCode: string | null;
    members: {
      agencyId: string;
      domain: string;
      jurisdiction: string[];
      deactivatedAt: string | null;
      acknowledgedAt: string | null;
      removedAt: string | null;
    }[];
  }[];
  readonly emergencies: readonly {
    id: string;
    agencyId: string;
    personId: string;
    categories: string[];
    reason: string;
    expiresAt: string;
  }[];
}

export const NO_BASES: Bases = Object.freeze({ municipalityCode: null, consents: [], meetings: [], emergencies: [] });

const date = (value: string): Date => new Date(value);
const dateOrNull = (value: string | null): Date | null => (value === null ? null : new Date(value));

/** Turns one row of the statement into the decision's types (JSON timestamps become Dates). */
export function basesFromRow(row: BasesRow): Bases {
  return {
    municipalityCode: row.municipalityCode,
    locationProtected: row.locationProtected === true,
    ...(row.locationProtected === true && row.movedAt !== null ? { movedAt: new Date(row.movedAt) } : {}),
    consents: row.consents.map((c): Consent => ({
      id: c.id,
      personId: c.personId,
      recipientAgencyIds: c.recipientAgencyIds,
      obtainedBy: c.obtainedBy,
      categories: c.categories as DataCategory[],
      confirmedCategories: c.confirmedCategories as DataCategory[],
      validFrom: date(c.validFrom),
      validUntil: dateOrNull(c.validUntil),
      revokedAt: dateOrNull(c.revokedAt),
      recordedAt: date(c.recordedAt),
    })),
    meetings: row.meetings.map((m): Meeting => ({
      id: m.id,
      kind: m.kind as MeetingKind,
      subjectPersonIds: m.subjectPersonIds,
      sharedCategories: m.sharedCategories as DataCategory[],
      startsAt: date(m.startsAt),
      endsAt: dateOrNull(m.endsAt),
      closedAt: dateOrNull(m.closedAt),
      municipalityCode: m.municipalityCode,
      members: m.members.map((member) => ({
        agencyId: member.agencyId,
        domain: member.domain as Domain,
        jurisdiction: member.jurisdiction,
        deactivatedAt: dateOrNull(member.deactivatedAt),
        acknowledgedAt: dateOrNull(member.acknowledgedAt),
        removedAt: dateOrNull(member.removedAt),
      })),
    })),
    emergencies: row.emergencies.map((e): EmergencyAccess => ({
      id: e.id,
      agencyId: e.agencyId,
      personId: e.personId,
      categories: e.categories as DataCategory[],
      reason: e.reason,
      expiresAt: date(e.expiresAt),
    })),
  };
}

/** Bases as of one version of them: every change to what they are read from bumps it in its transaction. */
export interface VersionedBases {
  readonly version: bigint;
  readonly bases: Map<string, Bases>;
}

/**
 * The bases of every requested person, keyed by person id (empty bases for a person with none).
 * One statement whatever the number of persons; read now, so a revocation, a removal or a
 * meeting's end counts from the very next request.
 */
export async function loadBases(sql: Sql, personIds: readonly string[]): Promise<Map<string, Bases>> {
  if (!personIds.length) return new Map();
  return (await loadVersionedBases(sql, personIds)).bases;
}

/**
 * As loadBases, with the version of the bases the same statement saw: what it returns is exactly the
 * bases of that version. With no person, one small statement reads the version alone.
 */
export function loadVersionedBases(sql: Sql, personIds: readonly string[]): Promise<VersionedBases> {
  const started = performance.now();
  return inSpan('hub.bases.read', { 'hub.persons': personIds.length }, () => readBases(sql, personIds)).finally(() =>
    metrics.basesReadDuration.observe((performance.now() - started) / 1000),
  );
}

async function readBases(sql: Sql, personIds: readonly string[]): Promise<VersionedBases> {
  const ids = [...new Set(personIds)];
  const result = new Map<string, Bases>();
  if (!ids.length) {
    const [row] = await sql<{ version: string }[]>`select version::text from hub.bases_version`;
    return { version: BigInt(row!.version), bases: result };
  }
  const rows = await sql<(BasesRow & { version: string })[]>`
    select
      (select v.version::text from hub.bases_version v) as version,
      p.id,
      r.municipality_code,
      r.location_protected,
      r.moved_at,
      coalesce((
        select json_agg(json_build_object(
          'id', c.id, 'personId', c.person_id, 'recipientAgencyIds', c.recipient_agency_ids, 'obtainedBy', c.obtained_by,
          'categories', c.categories, 'confirmedCategories', c.confirmed_categories, 'validFrom', c.valid_from, 'validUntil', c.valid_until,
          'revokedAt', c.revoked_at, 'recordedAt', c.created_at
        ) order by c.created_at)
        from hub.consent c
        where c.person_id = p.id
      ), '[]'::json) as consents,
      coalesce((
        select json_agg(json_build_object(
          'id', m.id, 'kind', m.kind, 'subjectPersonIds', m.subject_person_ids,
          'sharedCategories', m.shared_categories, 'startsAt', m.starts_at, 'endsAt', m.ends_at,
          'closedAt', m.closed_at, 'municipalityCode', m.municipality_code,
          'members', coalesce((
            select json_agg(json_build_object(
              'agencyId', mm.agency_id, 'domain', a.domain, 'jurisdiction', a.jurisdiction,
              'deactivatedAt', a.deactivated_at, 'acknowledgedAt', mm.acknowledged_at, 'removedAt', mm.removed_at
            ))
            from hub.meeting_member mm join hub.agency a on a.id = mm.agency_id
            where mm.meeting_id = m.id
          ), '[]'::json)
        ) order by m.created_at)
        from hub.meeting m
        where m.subject_person_ids @> array[p.id]
      ), '[]'::json) as meetings,
      coalesce((
        select json_agg(json_build_object(
          'id', e.id, 'agencyId', e.agency_id, 'personId', e.person_id, 'categories', e.categories,
          'reason', e.reason, 'expiresAt', e.expires_at
        ) order by e.declared_at)
        from hub.emergency_access e
        where e.person_id = p.id and e.review_outcome is distinct from 'UNJUSTIFIED'
      ), '[]'::json) as emergencies
    from unnest(${ids}::text[]) as p(id)
    left join hub.resident r on r.person_id = p.id`;
  for (const row of rows) result.set(row.id, basesFromRow(row));
  for (const id of ids) if (!result.has(id)) result.set(id, NO_BASES);
  return { version: BigInt(rows[0]!.version), bases: result };
}
