// The suicide-prevention system's SQL: the only code that reads or writes the suicide_prevention schema.
// Loaders batch every lookup of a request into one statement per kind.

import { recordsByPerson, oneEach, validUuids, type Page, type Sql } from '@hub/platform';

export interface RiskAssessmentRow {
  id: string;
  personId: string;
  assessedAt: Date;
  level: string;
  signs: string[];
  assessorAgencyId: string;
  coAssessorAgencyId: string | null;
  note: string | null;
  joint: boolean;
}

export interface CounselingContactRow {
  id: string;
  personId: string;
  contactedAt: Date;
  channel: string;
  agencyId: string;
  summary: string | null;
}

export interface PsychiatricReferralRow {
  id: string;
  personId: string;
  referredAt: Date;
  institution: string | null;
  status: string;
  agencyId: string;
  screeningId: string | null;
}

/** 別添2 6(1)(ウ): levels at which a screening opens a referral to psychiatric care at once. */
const REFERRAL_LEVELS: ReadonlySet<string> = new Set(['HIGH', 'IMMINENT']);

export interface CounselingWindowRow {
  id: string;
  name: string;
  agencyId: string;
  phone: string | null;
  phoneHours: string;
  channels: string[];
}

export interface CounselingWindowFilter extends Page {
  agencyId: string | null;
  channel: string | null;
}

export function createStore(sql: Sql) {
  return {
    riskAssessments: recordsByPerson(
      (ids) => sql<RiskAssessmentRow[]>`
        select * from suicide_prevention.risk_assessment where person_id = any(${ids}::uuid[]) order by assessed_at`,
    ),
    counselingContacts: recordsByPerson(
      (ids) => sql<CounselingContactRow[]>`
        select * from suicide_prevention.counseling_contact where person_id = any(${ids}::uuid[]) order by contacted_at`,
    ),
    psychiatricReferrals: recordsByPerson(
      (ids) => sql<PsychiatricReferralRow[]>`
        select * from suicide_prevention.psychiatric_referral where person_id = any(${ids}::uuid[]) order by referred_at`,
    ),
    referralOfScreening: oneEach<string, PsychiatricReferralRow>(
      (ids) => sql<PsychiatricReferralRow[]>`
        select * from suicide_prevention.psychiatric_referral where screening_id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.screeningId!,
    ),
    counselingWindow: oneEach<string, CounselingWindowRow>(
      (ids) => sql<CounselingWindowRow[]>`
        select * from suicide_prevention.counseling_window where id = any(${validUuids(ids)}::uuid[])`,
      (row) => row.id,
    ),

    /**
     * Counselling windows by name, then id (one order, whatever names two windows share), after the window
     * `after` (the last of the page before), or null when `after` is no window the filter lists.
     */
    async counselingWindows(filter: CounselingWindowFilter): Promise<CounselingWindowRow[] | null> {
      const { after } = filter;
      const listed = sql`(${filter.agencyId}::text is null or agency_id = ${filter.agencyId})
        and (${filter.channel}::text is null or ${filter.channel} = any(channels))`;
      if (after !== null) {
        const [anchor] = await sql`
          select 1 from suicide_prevention.counseling_window where id = ${after}::uuid and ${listed}`;
        if (!anchor) return null;
      }
      return sql<CounselingWindowRow[]>`
        select w.* from suicide_prevention.counseling_window w
        where ${listed}
          and (${after}::uuid is null or exists (
            select 1 from suicide_prevention.counseling_window a
            where a.id = ${after}::uuid and (w.name, w.id) > (a.name, a.id)))
        order by w.name, w.id
        limit ${filter.first}`;
    },

    async recordRiskAssessment(input: {
      personId: string;
      level: string;
      signs: string[];
      assessorAgencyId: string;
      coAssessorAgencyId: string | null;
      note: string | null;
    }): Promise<RiskAssessmentRow> {
      // Assessed with a co-assessor (the collaborator), it is a joint screening, as recordJointScreening's are.
      const [row] = await sql<RiskAssessmentRow[]>`
        insert into suicide_prevention.risk_assessment
          (person_id, level, signs, assessor_agency_id, co_assessor_agency_id, note, joint)
        values (${input.personId}, ${input.level}, ${input.signs}, ${input.assessorAgencyId},
                ${input.coAssessorAgencyId}, ${input.note}, ${input.coAssessorAgencyId !== null})
        returning *`;
      return row!;
    },

    /** The screening and, at a high or imminent level, its proposed referral: both or neither. */
    async recordJointScreening(input: {
      personId: string;
      level: string;
      signs: string[];
      assessorAgencyId: string;
      coAssessorAgencyId: string;
      note: string | null;
    }): Promise<RiskAssessmentRow> {
      return sql.begin(async (tx) => {
        const [row] = await tx<RiskAssessmentRow[]>`
          insert into suicide_prevention.risk_assessment
            (person_id, level, signs, assessor_agency_id, co_assessor_agency_id, note, joint)
          values (${input.personId}, ${input.level}, ${input.signs}, ${input.assessorAgencyId},
                  ${input.coAssessorAgencyId}, ${input.note}, true)
          returning *`;
        if (REFERRAL_LEVELS.has(input.level)) {
          // The window, which carries the mental-health side (別添2 6(1)(イ)), follows the referral up.
          await tx`
            insert into suicide_prevention.psychiatric_referral (person_id, status, agency_id, screening_id, referred_at)
            values (${input.personId}, 'PROPOSED', ${input.coAssessorAgencyId}, ${row!.id}, ${row!.assessedAt})`;
        }
        return row!;
      });
    },

    async recordCounselingContact(input: {
      personId: string;
      channel: string;
      agencyId: string;
      summary: string | null;
    }): Promise<CounselingContactRow> {
      const [row] = await sql<CounselingContactRow[]>`
        insert into suicide_prevention.counseling_contact (person_id, channel, agency_id, summary)
        values (${input.personId}, ${input.channel}, ${input.agencyId}, ${input.summary})
        returning *`;
      return row!;
    },

    async referToPsychiatricCare(input: {
      personId: string;
      institution: string;
      status: string;
      agencyId: string;
    }): Promise<PsychiatricReferralRow> {
      const [row] = await sql<PsychiatricReferralRow[]>`
        insert into suicide_prevention.psychiatric_referral (person_id, institution, status, agency_id)
        values (${input.personId}, ${input.institution}, ${input.status}, ${input.agencyId})
        returning *`;
      return row!;
    },
  };
}

export type SuicidePreventionStore = ReturnType<typeof createStore>;
