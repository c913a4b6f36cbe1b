// The demo municipality's child-welfare and DV records (synthetic, no real people): the mother and child who
// fled DV from ひがし山町, the young carer, the specified expectant mother and a neglect report from a school.

import {
  AGENCIES,
  DEMO_DV_HANDOVER_AT,
  demoId,
  MUNICIPALITIES,
  residentId,
  residentMunicipality,
  type ResidentKey,
  type TransactionSql,
} from '@hub/platform';

const kodomo = AGENCIES.minaminoChildSupport.id;
const M = MUNICIPALITIES.minamino.code;

const CHILD_CASES: {
  key: string;
  person: ResidentKey;
  classification: string;
  status: string;
  opened: string;
  agency: string;
  council: boolean;
  summary: string;
}[] = [
  {
    key: 'suzuki-child',
    person: 'suzuki-child',
    classification: 'REQUIRES_PROTECTION',
    status: 'SUPPORTING',
    opened: '2026-06-18T10:00:00+09:00',
    agency: kodomo,
    council: true,
    summary: '父から母への暴力を目撃（面前DV）。母と共に避難し転入。保育所の確保と心のケアを調整。',
  },
  {
    key: 'sato-daughter',
    person: 'sato-daughter',
    classification: 'REQUIRES_SUPPORT',
    status: 'SUPPORTING',
    opened: '2026-05-22T10:00:00+09:00',
    agency: kodomo,
    council: true,
    summary: 'ヤングケアラー。精神疾患のある母と要介護の祖母の世話で欠席が増加。学校からの情報提供を機に要対協に登録。',
  },
  {
    key: 'kobayashi',
    person: 'kobayashi',
    classification: 'SPECIFIED_EXPECTANT_MOTHER',
    status: 'SUPPORTING',
    opened: '2026-07-14T10:00:00+09:00',
    agency: kodomo,
    council: true,
    summary: '19歳、妊娠20週で妊婦健診は未受診だった。頼れる親族がいない。出産後の養育支援を調整。',
  },
  {
    key: 'hashimoto',
    person: 'hashimoto',
    classification: 'REQUIRES_PROTECTION',
    status: 'INVESTIGATING',
    opened: '2026-09-08T15:00:00+09:00',
    agency: kodomo,
    council: false,
    summary: '中学校からの通告を受理。家庭訪問と安全確認を実施。',
  },
];

const ABUSE_REPORTS: {
  key: string;
  person: ResidentKey;
  at: string;
  reporter: string;
  kind: string;
  urgency: string;
  receiver: string;
  summary: string;
}[] = [
  {
    key: 'suzuki-child',
    person: 'suzuki-child',
    at: '2026-06-10T16:00:00+09:00',
    reporter: AGENCIES.midoriDvCentre.id,
    kind: 'PSYCHOLOGICAL',
    urgency: 'PROMPT',
    receiver: AGENCIES.midoriChildGuidance.id,
    summary: '母の一時保護に伴い通告。子は父から母への暴力を繰り返し目撃していた。',
  },
  {
    key: 'hashimoto',
    person: 'hashimoto',
    at: '2026-09-08T11:30:00+09:00',
    reporter: AGENCIES.minaminoWelfare.id,
    kind: 'NEGLECT',
    urgency: 'IMMEDIATE',
    receiver: kodomo,
    summary: '中学校から福祉総合相談課への情報提供：夏休み明けから著しく痩せ、数日間保護者が帰宅していない様子。',
  },
];

const DV_CASES = [
  {
    key: 'suzuki-mother',
    person: 'suzuki-mother' as ResidentKey,
    opened: DEMO_DV_HANDOVER_AT,
    status: 'INDEPENDENCE_SUPPORT',
    agency: AGENCIES.midoriDvCentre.id,
    formerMunicipality: MUNICIPALITIES.higashiyama.code,
    protectionOrder: true,
    summary:
      'ひがし山町 女性・DV相談窓口で配偶者からの身体的暴力の相談。子を連れて避難し一時保護。保護命令（接近禁止）発令。本人同意のうえ転居先のみなみ野市に支援を引継ぎ。',
    whereabouts: [
      {
        key: 'shelter',
        municipality: M,
        address: 'みなみ野市 若葉町9-9',
        shelter: 'みどり県 女性相談支援センター 一時保護所',
        since: '2026-06-10',
      },
      {
        key: 'step-house',
        municipality: M,
        address: 'みなみ野市 旭町7-2-201',
        shelter: 'NPO法人 みどりの灯 ステップハウス',
        since: '2026-07-01',
      },
    ],
  },
];

const at = (iso: string) => new Date(iso);

export async function seed(sql: TransactionSql): Promise<void> {
  for (const c of CHILD_CASES) {
    await sql`
      insert into child_dv.child_welfare_case
        (id, person_id, classification, status, opened_at, agency_id, registered_with_council, summary)
      values (${demoId(`child-welfare-case:${c.key}`)}, ${residentId(c.person)}, ${c.classification}, ${c.status},
              ${at(c.opened)}, ${c.agency}, ${c.council}, ${c.summary})
      on conflict (id) do nothing`;
  }
  for (const r of ABUSE_REPORTS) {
    await sql`
      insert into child_dv.abuse_report
        (id, person_id, reported_at, reporter_agency_id, kind, urgency, receiving_agency_id, summary, municipality_code)
      values (${demoId(`abuse-report:${r.key}`)}, ${residentId(r.person)}, ${at(r.at)}, ${r.reporter}, ${r.kind},
              ${r.urgency}, ${r.receiver}, ${r.summary}, ${residentMunicipality(r.person)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
  }
  for (const d of DV_CASES) {
    const caseId = demoId(`dv-case:${d.key}`);
    await sql`
      insert into child_dv.dv_case
        (id, person_id, opened_at, status, agency_id, former_municipality_code, protection_order, summary,
         municipality_code)
      values (${caseId}, ${residentId(d.person)}, ${at(d.opened)}, ${d.status}, ${d.agency}, ${d.formerMunicipality},
              ${d.protectionOrder}, ${d.summary}, ${residentMunicipality(d.person)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
    for (const w of d.whereabouts) {
      await sql`
        insert into child_dv.protected_whereabouts (id, dv_case_id, municipality_code, address, shelter_name, since)
        values (${demoId(`whereabouts:${d.key}:${w.key}`)}, ${caseId}, ${w.municipality}, ${w.address}, ${w.shelter},
                ${w.since})
        on conflict (id) do nothing`;
    }
  }
}
