// Reading the access log: a person's page, the auditor's search, and appending and verifying through the
// chained log of audit/.

import type { Sql } from '@hub/platform';
import type { ProtectionPeriod } from './disclosure-protections.js';
import type { CheckpointAnchor } from '../../audit/checkpoint.js';
import { verifyAccessLog } from '../../audit/verification.js';
import { appendAudit, type AuditEntry } from '../../audit/log.js';
import { CONSENT_ONLY, CONSENT_REASONS, MEETING_REASONS } from '../../policy/decide.js';
import { TELLS_OF_INVOLVEMENT } from '../../policy/explain.js';

/** One entry of a person's log as the views show it: the decision recorded, under its entry id. */
export type AccessLogRow = Omit<AuditEntry, 'operationName' | 'requestId'> & { id: string };

/**
 * One entry of the access log from its row `l` and the person `p` (person_id, basis_id, n) it names: a
 * row written before rows named several persons is its one entry; a row naming several is one entry per
 * person (id `row.n`), with the record their basis names (or a denial's reason speaks of) as the consent,
 * meeting or emergency it is.
 */
const entryColumns = (
  sql: Sql,
  categories = sql`l.categories`,
  reason = sql`l.reason`,
  basisId = sql`p.basis_id`,
) => sql`
  case when l.person_ids is null then l.id::text else l.id::text || '.' || p.n::text end as id,
  l.at, l.agency_id, l.staff_id, coalesce(l.person_id, p.person_id) as person_id, ${categories} as categories, l.allowed,
  l.basis, ${reason} as reason,
  case when l.basis = 'CONSENT' or l.reason = any(${[...CONSENT_REASONS]}::text[]) then nullif(${basisId}, '') end as consent_id,
  case when l.basis in ('SUPPORT_MEETING', 'CHILD_COUNCIL') or l.reason = any(${[...MEETING_REASONS]}::text[])
         then nullif(${basisId}, '') end as meeting_id,
  case when l.basis in ('EMERGENCY', 'AUDIT') then nullif(${basisId}, '') end as emergency_id,
  l.purpose`;

/**
 * The record the row `l` names for the person at `n` (its basis, or what its denial speaks of): from its
 * list, or, for a row written before rows named several, its own column (consent, meeting or emergency).
 */
const basisOfRow = (sql: Sql, n = sql`n`) => sql`
  case when l.person_ids is null then coalesce(l.consent_id, l.meeting_id, l.emergency_id) else l.basis_ids[${n}] end`;

/** A period of the access log (its `at`), `from` included and `to` not; either may be open. */
export interface Period {
  readonly from: Date | null;
  readonly to: Date | null;
}

/** Which view of a person's log is read, by whom, and of which period (`page`). */
interface ViewOptions extends Period {
  readonly withholdProtected: boolean;
  /** The whiles a protection of her disclosure view was active (her cases', the agencies' settings). */
  readonly protectedDuring: readonly ProtectionPeriod[];
  readonly readerId: string;
}

/** What the auditor's search narrows the log to: one agency, a period. */
interface SearchFilters extends Period {
  readonly agencyId: string | null;
}

/** A period on the log's row `l`: `from` included, `to` not, either open. */
const inPeriod = (sql: Sql, period: Period) => sql`
  (${period.from}::timestamptz is null or l.at >= ${period.from})
  and (${period.to}::timestamptz is null or l.at < ${period.to})`;

/** The CHILD_DV agencies: the disclosure view's "another agency" is any agency not among them. */
const childDvAgencies = (sql: Sql) => sql`(select a.id from hub.agency a where a.domain = 'CHILD_DV')`;

/**
 * The categories whose access by another agency tells of child-protection or DV involvement in the
 * disclosure view: CHILD_WELFARE and DV, and where she lives (DV_LOCATION).
 */
const INVOLVEMENT_CATEGORIES: readonly string[] = [...TELLS_OF_INVOLVEMENT, ...CONSENT_ONLY];

/** The search's filters on the log's row `l`: its listing and the check of its cursors read the same. */
const searchFilters = (sql: Sql, options: SearchFilters) => sql`
  (${options.agencyId}::text is null or l.agency_id = ${options.agencyId})
  and ${inPeriod(sql, options)}`;

/** The verification running on each database, if any (the store is made per request). */
const verifying = new WeakMap<Sql, ReturnType<typeof verifyAccessLog>>();

/**
 * One verification at a time per database and gateway: an auditor asking while one runs is answered by it.
 * It reads the whole log (tens of seconds at millions of entries, a core and a connection all along); a
 * second beside it would only slow every other request as much again.
 */
function verifyOnce(sql: Sql, checkpoints: CheckpointAnchor | undefined): ReturnType<typeof verifyAccessLog> {
  let running = verifying.get(sql);
  if (!running) {
    running = verifyAccessLog(sql, checkpoints).finally(() => verifying.delete(sql));
    verifying.set(sql, running);
  }
  return running;
}

/** @param checkpoints the access log's checkpoints, which verifyAccessLog holds the chain against. */
export function createAccessLogStore(sql: Sql, checkpoints?: CheckpointAnchor) {
  const store = {
    /**
     * One page of a person's access log, newest first, after the entry `afterId`. `withholdProtected`
     * leaves out the CHILD_DV agencies' entries while a disclosure protection is active, and those made while
     * one was (`protectedDuring`) for good, and, whether or not
     * one is, every other agency's access that tells of child-protection or DV involvement: of
     * CHILD_WELFARE, DV or where she lives (DV_LOCATION), or resting on a child council (an access that
     * read other categories in the same request is shown with those only). What the reader
     * could have made itself must not show whether a protection is active (an open DV or child-protection
     * case): such an access is withheld protected or not, and a denial by an agency not
     * of CHILD_DV, whatever its reason (the reader's own, as a member of a meeting that does not share DV,
     * among them), is shown whether or not she is protected, except one of where she lives (a refused
     * municipality of a moved DV victim says she moved), which is withheld whether or not. In SQL, so page
     * sizes reveal nothing of what was withheld.
     *
     * In that view another agency's denial speaks of a meeting or a consent only to a reader (`readerId`)
     * that is or was a member of the meeting the denial speaks of, or that the consent it speaks of names
     * or was recorded by; to any other it reads NO_LEGAL_BASIS, naming no record, as the denial itself would
     * have been told to that reader (contract v2, "a denial tells nothing the caller may not know"): that a
     * support meeting, a child council or a consent about her exists is not the disclosure reader's to
     * learn from another agency's refusal, nor what another meeting or consent it is party to does not say.
     * A denial on a child council reads NO_LEGAL_BASIS to every reader, its members and the denied agency
     * too, as an access resting on one is withheld whoever made it: the view is what the person is shown.
     */
    page(personId: string, options: ViewOptions & { first: number; afterId: string | null }) {
      // A row names the person alone (written before rows named several) or among others, at `n`. Another
      // agency's access is shown with what tells of no involvement: one request's read of her MENTAL_HEALTH
      // and CHILD_WELFARE is one row, and its MENTAL_HEALTH is hers to see as when read alone.
      return sql<AccessLogRow[]>`
        select ${entryColumns(sql, sql`shown.categories`, sql`shown.reason`, sql`shown.basis_id`)}
        from hub.audit_log l
        cross join lateral (
          select ${personId}::text as person_id, ${basisOfRow(sql)} as basis_id, n
          from (select array_position(l.person_ids, ${personId}::text) as n) found
        ) p
        -- Another agency's denial on a meeting or a consent the reader is not party to: told as NO_LEGAL_BASIS.
        -- So is any denial on a child council, the reader's own too: the view is what the person (a parent,
        -- for a child) is shown, and a council covering the child is what no entry of the view tells.
        cross join lateral (
          select ${options.withholdProtected}::boolean
                 and not l.allowed
                 and (
                   (l.reason = any(${[...MEETING_REASONS]}::text[])
                    and exists (
                      select 1 from hub.meeting m where m.id::text = p.basis_id and m.kind = 'CHILD_COUNCIL'))
                   or (l.agency_id <> ${options.readerId}
                       and ((l.reason = any(${[...MEETING_REASONS]}::text[])
                             and not exists (
                               select 1 from hub.meeting_member mm
                               where mm.meeting_id::text = p.basis_id and mm.agency_id = ${options.readerId}))
                            or (l.reason = any(${[...CONSENT_REASONS]}::text[])
                                and not exists (
                                  select 1 from hub.consent c
                                  where c.id::text = p.basis_id
                                    and (c.obtained_by = ${options.readerId}
                                         or c.recipient_agency_ids @> array[${options.readerId}::text])))))
                 ) as untold
        ) told
        cross join lateral (
          select case
            when ${options.withholdProtected}::boolean
                 and l.allowed
                 and l.agency_id not in ${childDvAgencies(sql)}
              then array(
                select c from unnest(l.categories) c where c::text <> all(${INVOLVEMENT_CATEGORIES}::text[]))
            else l.categories
          end as categories,
          case when told.untold then 'NO_LEGAL_BASIS' else l.reason end as reason,
          case when told.untold then null else p.basis_id end as basis_id
        ) shown
        where (l.person_id = ${personId} or l.person_ids @> array[${personId}::text])
          and ${inPeriod(sql, options)}
          and (${options.afterId}::bigint is null or l.id < ${options.afterId}::bigint)
          and not (
            ${options.withholdProtected}::boolean
            and case
              -- Another agency's denial: whatever the protection, withheld only if of where she lives.
              when not l.allowed
                   and l.agency_id not in ${childDvAgencies(sql)}
                then exists (select 1 from unnest(l.categories) c where c::text = any(${[...CONSENT_ONLY]}::text[]))
              -- Any agency's access resting on a child council, a CHILD_DV agency's too: it tells that a council
              -- covers her or a child of her household, which her own protection (of her own cases) need not cover.
              when l.basis is not distinct from 'CHILD_COUNCIL'
                then true
              -- An auditor's review of an emergency that tells of child protection or DV (one a CHILD_DV agency
              -- declared, or naming their data): withheld whatever the protection, as the declaration's own reads
              -- are; an emergency about her would otherwise show beside reads of her that the view leaves out.
              when l.basis is not distinct from 'AUDIT'
                   and exists (
                     select 1 from hub.emergency_access e
                     where e.id::text = p.basis_id
                       and (e.categories && ${INVOLVEMENT_CATEGORIES}::text[]
                            or e.agency_id in ${childDvAgencies(sql)}))
                then true
              -- Another agency's access that tells of child protection or DV: withheld whatever the protection,
              -- for one that vanished when a protection started would tell its reader that a case was opened;
              -- its other categories, read in the same request, are shown (shown.categories).
              when l.agency_id not in ${childDvAgencies(sql)}
                then cardinality(shown.categories) = 0
              -- A CHILD_DV agency's entry: withheld while a protection is active, and for good if made while one was.
              else exists (
                select 1
                from unnest(${options.protectedDuring.map((p) => p.from.toISOString())}::text[]::timestamptz[],
                            ${options.protectedDuring.map((p) => p.to?.toISOString() ?? 'infinity')}::text[]::timestamptz[])
                       as p("from", "to")
                where (p."from" <= now() and now() < p."to") or (p."from" <= l.at and l.at < p."to"))
            end
          )
        order by l.id desc
        limit ${options.first}`;
    },
    /**
     * Whether the view of the person's log (`page`'s options) shows the row `rowId`: what a cursor of that view
     * points after. Read through `page` itself, so a cursor is taken exactly where its entry is shown.
     */
    async shows(personId: string, rowId: string, view: ViewOptions): Promise<boolean> {
      const [row] = await store.page(personId, { ...view, first: 1, afterId: String(BigInt(rowId) + 1n) });
      return row !== undefined && row.id.split('.')[0] === rowId;
    },
    /** One page of the whole log, newest first, of one agency and/or a period: the auditor's search. */
    search(
      options: SearchFilters & {
        first: number;
        /** The id of the last entry of the page before (`row` or `row.n`). */
        after: string | null;
      },
    ) {
      // One entry per person of each row: a row written before rows named several is its one entry (n 1).
      return sql<AccessLogRow[]>`
        select ${entryColumns(sql)}
        from hub.audit_log l
        cross join lateral (
          select u.person_id, u.basis_id, u.n from unnest(l.person_ids, l.basis_ids) with ordinality as u(person_id, basis_id, n)
          union all
          select l.person_id, ${basisOfRow(sql, sql`1`)}, 1 where l.person_ids is null
        ) p
        where ${searchFilters(sql, options)}
          -- The row bound alone first, so that a page deep in the log starts its scan at its cursor.
          and (${options.after}::text is null or l.id <= split_part(${options.after}::text, '.', 1)::bigint)
          and (${options.after}::text is null
               or (l.id, p.n) < (split_part(${options.after}::text, '.', 1)::bigint,
                                 coalesce(nullif(split_part(${options.after}::text, '.', 2), ''), '1')::bigint))
        order by l.id desc, p.n desc
        limit ${options.first}`;
    },
    /** Whether the entry `entryId` (`row` or `row.n`) is one the search with these filters lists: its cursor's. */
    async searchLists(options: SearchFilters, entryId: string): Promise<boolean> {
      const [row, n = '1'] = entryId.split('.');
      const [found] = await sql`
        select 1 from hub.audit_log l
        where l.id = ${row!}::bigint
          and ${n}::bigint between 1 and coalesce(cardinality(l.person_ids), 1)
          and ${searchFilters(sql, options)}`;
      return found !== undefined;
    },
    append: async (entries: readonly AuditEntry[]): Promise<void> => {
      await appendAudit(sql, entries);
    },
    verify: () => verifyOnce(sql, checkpoints),
  };
  return store;
}
