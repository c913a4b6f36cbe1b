// Reading the access log: a person's page, the auditor's search, and appending and verifying through the
// chained log of audit/.

import type { DataCategory, Sql } from '@hub/platform';
import { verifyAccessLog, type CheckpointAnchor } from '../../audit/checkpoint.js';
import { appendAudit, type AuditEntry } from '../../audit/log.js';
import type { DenialReason, LegalBasis } from '../../policy/decide.js';

export interface AccessLogRow {
  id: string;
  at: Date;
  agencyId: string;
  staffId: string;
  personId: string;
  categories: DataCategory[];
  allowed: boolean;
  basis: LegalBasis | null;
  reason: DenialReason | null;
  consentId: string | null;
  meetingId: string | null;
  emergencyId: string | null;
  purpose: string | null;
}

/** @param checkpoints the access log's checkpoints, which verifyAccessLog holds the chain against. */
export function createAccessLogStore(sql: Sql, checkpoints?: CheckpointAnchor) {
  return {
    /**
     * One page of a person's access log, newest first, after the entry `afterId`. `withholdProtected`
     * leaves out the CHILD_DV agencies' entries while a disclosure protection is active, in SQL, so
     * page sizes reveal nothing of what was withheld.
     */
    page(
      personId: string,
      options: { first: number; afterId: string | null; withholdProtected: boolean; protectedNow: boolean },
    ) {
      return sql<AccessLogRow[]>`
        select l.id::text as id, l.at, l.agency_id, l.staff_id, l.person_id, l.categories, l.allowed, l.basis,
               l.reason, l.consent_id, l.meeting_id, l.emergency_id, l.purpose
        from hub.audit_log l
        where l.person_id = ${personId}
          and (${options.afterId}::bigint is null or l.id < ${options.afterId}::bigint)
          and not (
            ${options.withholdProtected}::boolean
            and l.agency_id in (select a.id from hub.agency a where a.domain = 'CHILD_DV')
            and (${options.protectedNow}::boolean
                 or exists (select 1 from hub.disclosure_protection d where d.person_id = l.person_id and d.until > now()))
          )
        order by l.id desc
        limit ${options.first}`;
    },
    /** One page of the whole log, newest first, of one agency and/or a period: the auditor's search. */
    search(options: {
      agencyId: string | null;
      from: Date | null;
      to: Date | null;
      first: number;
      afterId: string | null;
    }) {
      return sql<AccessLogRow[]>`
        select l.id::text as id, l.at, l.agency_id, l.staff_id, l.person_id, l.categories, l.allowed, l.basis,
               l.reason, l.consent_id, l.meeting_id, l.emergency_id, l.purpose
        from hub.audit_log l
        where (${options.agencyId}::text is null or l.agency_id = ${options.agencyId})
          and (${options.from}::timestamptz is null or l.at >= ${options.from})
          and (${options.to}::timestamptz is null or l.at < ${options.to})
          and (${options.afterId}::bigint is null or l.id < ${options.afterId}::bigint)
        order by l.id desc
        limit ${options.first}`;
    },
    append: async (entries: readonly AuditEntry[]): Promise<void> => {
      await appendAudit(sql, entries);
    },
    verify: () => verifyAccessLog(sql, checkpoints),
  };
}
