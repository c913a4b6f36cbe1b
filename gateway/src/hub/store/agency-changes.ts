// The agency register's changes (migration 024): each change a hub administrator makes to an agency through
// the API, recorded in the change's own transaction (no change without its record, no record without its
// change), with a line in the process log once it is committed. Append-only; read by auditors only.

import type { Logger, Sql, TransactionSql } from '@hub/platform';
import type { AgencyRow } from './register.js';

export type AgencyChangeKind = 'REGISTERED' | 'JURISDICTION_SET' | 'RATE_LIMIT_SET' | 'DEACTIVATED' | 'REACTIVATED';

/** Who changed the register: the calling agency, its staff member (the token's sub), and the request. */
export interface RegisterChanger {
  readonly agencyId: string;
  readonly staffId: string;
  readonly requestId: string;
}

export interface AgencyChangeRow {
  id: string;
  at: Date;
  agencyId: string;
  change: AgencyChangeKind;
  agencyDomain: string;
  agencyMunicipalityCode: string;
  changedByAgencyId: string;
  changedByStaffId: string;
  requestId: string;
  jurisdictionBefore: string[] | null;
  rateLimitBefore: number | null;
  activeBefore: boolean | null;
  jurisdictionAfter: string[];
  rateLimitAfter: number | null;
  activeAfter: boolean;
}

/** An agency's controls as a change found or left them (AgencyControlState). */
export interface AgencyControlState {
  jurisdiction: string[];
  rateLimitPerMinute: number | null;
  active: boolean;
}

export const stateBefore = (row: AgencyChangeRow): AgencyControlState | null =>
  row.jurisdictionBefore === null
    ? null
    : { jurisdiction: row.jurisdictionBefore, rateLimitPerMinute: row.rateLimitBefore, active: row.activeBefore! };

export const stateAfter = (row: AgencyChangeRow): AgencyControlState => ({
  jurisdiction: row.jurisdictionAfter,
  rateLimitPerMinute: row.rateLimitAfter,
  active: row.activeAfter,
});

/**
 * Records a change inside its transaction `tx`: the agency `before` it (null for a registration) and `after`.
 * A failure throws, and the change is rolled back with it.
 */
export async function recordAgencyChange(
  tx: TransactionSql,
  change: AgencyChangeKind,
  by: RegisterChanger,
  before: AgencyRow | null,
  after: AgencyRow,
): Promise<AgencyChangeRow> {
  const [row] = await tx<AgencyChangeRow[]>`
    insert into hub.agency_change (
      agency_id, change, agency_domain, agency_municipality_code,
      changed_by_agency_id, changed_by_staff_id, request_id,
      jurisdiction_before, rate_limit_before, active_before,
      jurisdiction_after, rate_limit_after, active_after)
    values (
      ${after.id}, ${change}, ${after.domain}, ${after.municipalityCode},
      ${by.agencyId}, ${by.staffId}, ${by.requestId},
      ${before ? before.jurisdiction : null}::text[], ${before ? before.rateLimitPerMinute : null}::integer,
      ${before ? before.deactivatedAt === null : null}::boolean,
      ${after.jurisdiction}::text[], ${after.rateLimitPerMinute}::integer, ${after.deactivatedAt === null})
    returning *`;
  return row!;
}

/** The process log's line for a committed change: ids, codes and values, nothing about a resident. */
export function logAgencyChange(logger: Logger | undefined, row: AgencyChangeRow): void {
  logger?.info(
    {
      requestId: row.requestId,
      agency: row.changedByAgencyId,
      staff: row.changedByStaffId,
      change: row.change,
      agencyId: row.agencyId,
      changeId: row.id,
      jurisdictionBefore: row.jurisdictionBefore,
      jurisdictionAfter: row.jurisdictionAfter,
      rateLimitBefore: row.rateLimitBefore,
      rateLimitAfter: row.rateLimitAfter,
      activeBefore: row.activeBefore,
      activeAfter: row.activeAfter,
    },
    'agency register changed',
  );
}

export function createAgencyChangeStore(sql: Sql) {
  return {
    /**
     * The register's changes, newest first, of one agency or (null) of all: a page of them after the change
     * `after` (the last of the page before), or null when `after` is not one of this list's changes.
     */
    async list(agencyId: string | null, first: number, after: string | null): Promise<AgencyChangeRow[] | null> {
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from hub.agency_change
          where id = ${after}::uuid and (${agencyId}::text is null or agency_id = ${agencyId})`;
        if (!anchor) return null;
      }
      return sql<AgencyChangeRow[]>`
        select * from hub.agency_change c
        where (${agencyId}::text is null or c.agency_id = ${agencyId})
          and (${after}::uuid is null or exists (
            select 1 from hub.agency_change a
            where a.id = ${after}::uuid and (c.at < a.at or (c.at = a.at and c.id > a.id))))
        order by c.at desc, c.id
        limit ${first}`;
    },
  };
}
