// Abuse reports (虐待通告) and the urgent-report queue of the agency receiving them: their SQL in the
// child_dv schema, with the dashboard that counts them.

import { randomInt } from 'node:crypto';
import { monthlyDashboard, recordsByPerson, type DashboardReader, type Sql } from '@hub/platform';

export interface AbuseReportRow {
  id: string;
  personId: string;
  reportedAt: Date;
  reporterAgencyId: string;
  kind: string;
  urgency: string;
  receivingAgencyId: string;
  summary: string | null;
  receiptNumber: string;
  status: string;
  /** 初期対応: the first triage's time, set once (migration 009); null until the report is first triaged. */
  triagedAt: Date | null;
  /** The last triage's time; null until the report is first triaged. */
  updatedAt: Date | null;
  /** When it was closed: set by the table's trigger as its status becomes CLOSED (migration 007). */
  closedAt: Date | null;
  triageNote: string | null;
}

/** 緊急度 order of the queue: danger to life or body first. */
const URGENCY_ORDER = ['IMMEDIATE', 'PROMPT', 'ROUTINE'];

export function createAbuseReportStore(sql: Sql) {
  return {
    /**
     * The dashboard: urgent reports by kind and month received over the last twelve months, suppressed; the
     * reports the reader filed or received are its own (known).
     */
    dashboard: ({ agencyId, jurisdiction }: DashboardReader) =>
      monthlyDashboard(
        'reportKind',
        ['PHYSICAL', 'NEGLECT', 'PSYCHOLOGICAL', 'SEXUAL', 'DV_DANGER'],
        jurisdiction,
        (months) => sql<{ row: string; column: string; count: string; municipality: string }[]>`
        select kind as row, to_char(reported_at at time zone 'Asia/Tokyo', 'YYYY-MM') as column, count(*) as count,
               count(*) filter (where reporter_agency_id = ${agencyId} or receiving_agency_id = ${agencyId}) as known,
               municipality_code as municipality
        from child_dv.abuse_report
        where to_char(reported_at at time zone 'Asia/Tokyo', 'YYYY-MM') = any(${months})
          and municipality_code = any(${[...jurisdiction]})
        group by 1, 2, 5`,
      ),

    abuseReports: recordsByPerson(
      (ids) => sql<AbuseReportRow[]>`
        select * from child_dv.abuse_report
        where person_id = any(${ids}::uuid[]) and kind <> 'DV_DANGER'
        order by reported_at`,
    ),

    async recordAbuseReport(input: {
      personId: string;
      reporterAgencyId: string;
      kind: string;
      urgency: string;
      receivingAgencyId: string;
      summary: string | null;
      municipalityCode: string | null;
    }): Promise<AbuseReportRow> {
      // A receipt number drawn at random, not the next of a sequence: consecutive receipts would tell any
      // reporter how many reports everyone else filed in between, however few (秘匿処理).
      for (let attempt = 1; ; attempt += 1) {
        try {
          const [row] = await sql<AbuseReportRow[]>`
            insert into child_dv.abuse_report
              (person_id, reporter_agency_id, kind, urgency, receiving_agency_id, summary, municipality_code,
               receipt_number)
            values (${input.personId}, ${input.reporterAgencyId}, ${input.kind}, ${input.urgency},
                    ${input.receivingAgencyId}, ${input.summary}, ${input.municipalityCode}, ${randomReceipt()})
            returning *`;
          return row!;
        } catch (error) {
          const taken = (error as { constraint_name?: string }).constraint_name === 'abuse_report_receipt_idx';
          if (!taken || attempt >= 5) throw error;
        }
      }
    },

    /** The reports addressed to one agency, most urgent and oldest first. */
    urgentReports(receivingAgencyId: string, status: string | null): Promise<AbuseReportRow[]> {
      return sql<AbuseReportRow[]>`
        select * from child_dv.abuse_report
        where receiving_agency_id = ${receivingAgencyId} and (${status}::text is null or status = ${status})
        order by array_position(${URGENCY_ORDER}::text[], urgency), reported_at, receipt_number`;
    },

    /**
     * Null when no such report is addressed to the agency (another agency's report is not revealed);
     * a closed report stays closed. The first triage's time stays the report's triagedAt (初期対応, which the
     * 48-hour rule is measured against); every triage moves updatedAt.
     */
    async triageAbuseReport(input: {
      reportId: string;
      receivingAgencyId: string;
      status: string;
      note: string | null;
    }): Promise<AbuseReportRow | 'CLOSED' | null> {
      return sql.begin(async (tx) => {
        const [current] = await tx<AbuseReportRow[]>`
          select * from child_dv.abuse_report
          where id = ${input.reportId}::uuid and receiving_agency_id = ${input.receivingAgencyId}
          for update`;
        if (!current) return null;
        if (current.status === 'CLOSED') return 'CLOSED' as const;
        const [row] = await tx<AbuseReportRow[]>`
          update child_dv.abuse_report
          set status = ${input.status}, triaged_at = coalesce(triaged_at, now()), updated_at = now(),
              triage_note = coalesce(${input.note}::text, triage_note)
          where id = ${current.id}
          returning *`;
        return row!;
      });
    },
  };
}

/** 受付番号: R- and eight digits, drawn at random. */
function randomReceipt(): string {
  return `R-${randomInt(100_000_000).toString().padStart(8, '0')}`;
}
