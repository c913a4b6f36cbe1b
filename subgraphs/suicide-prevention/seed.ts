// The demo municipality's suicide-prevention records (synthetic, no real people): watanabe's joint screening
// with the collaborator, the mother of the young-carer household, the 8050 son, and the public windows.

import { AGENCIES, demoId, residentId, type ResidentKey, type TransactionSql } from '@hub/platform';

const kokoro = AGENCIES.minaminoKokoro.id;
const hokenjo = AGENCIES.midoriHealthCentre.id;

const WINDOWS = [
  {
    key: 'kokoro-phone',
    name: 'みなみ野市 こころの健康相談',
    agency: kokoro,
    phone: '000-0202-0001',
    hours: '平日 8:30-17:15',
    channels: ['PHONE', 'IN_PERSON', 'VISIT'],
  },
  {
    key: 'kokoro-sns',
    name: 'みなみ野市 こころのSNS相談',
    agency: kokoro,
    phone: null,
    hours: '毎日 17:00-22:00（受付は21:30まで）',
    channels: ['SNS'],
  },
  {
    key: 'hokenjo-mental',
    name: 'みなみ野保健所 精神保健福祉相談',
    agency: hokenjo,
    phone: '000-0202-0002',
    hours: '平日 9:00-17:00（来所は予約制）',
    channels: ['PHONE', 'IN_PERSON', 'VISIT'],
  },
];

const ASSESSMENTS: {
  key: ResidentKey;
  at: string;
  level: string;
  signs: string[];
  assessor: string;
  coAssessor?: string;
  note: string;
}[] = [
  {
    key: 'watanabe',
    at: '2026-06-27T10:00:00+09:00',
    level: 'HIGH',
    signs: ['SLEEPLESSNESS', 'LOSS_OF_APPETITE', 'LOW_MOOD_ALL_DAY', 'ANHEDONIA', 'LOSS_OF_ROLE'],
    assessor: kokoro,
    coAssessor: AGENCIES.minaminoCollaborator.id,
    note: '多機関協働推進室と共同でアセスメント。失業と多重債務。不眠と食欲不振が1か月以上続く。重層的支援で継続支援し、傾聴は相談窓口が担う。',
  },
  {
    key: 'watanabe',
    at: '2026-08-20T14:00:00+09:00',
    level: 'HIGH',
    signs: ['SLEEPLESSNESS', 'LOW_MOOD_ALL_DAY'],
    assessor: kokoro,
    note: '受診開始後も不眠が続く。債務整理の手続き中で不安が強い。',
  },
  {
    key: 'sato-mother',
    at: '2026-05-25T11:00:00+09:00',
    level: 'MODERATE',
    signs: ['LOW_MOOD_ALL_DAY', 'EXCESSIVE_BURDEN', 'SOCIAL_DISCONNECTION'],
    assessor: hokenjo,
    note: '精神疾患で通院中。祖母の介護と家事を娘に頼っていることへの負担感の訴え。',
  },
  {
    key: 'yamada-son',
    at: '2026-08-10T15:00:00+09:00',
    level: 'LOW',
    signs: ['SOCIAL_DISCONNECTION'],
    assessor: hokenjo,
    note: '長期のひきこもり状態。ひきこもり支援ステーションの訪問に同行。差し迫った危険は認めない。',
  },
];

const CONTACTS: { key: ResidentKey; at: string; channel: string; agency: string; summary: string }[] = [
  {
    key: 'watanabe',
    at: '2026-06-28T19:00:00+09:00',
    channel: 'PHONE',
    agency: kokoro,
    summary: '眠れない夜が続くとの電話。傾聴し、翌週の来所を約束。',
  },
  {
    key: 'watanabe',
    at: '2026-07-03T10:00:00+09:00',
    channel: 'IN_PERSON',
    agency: kokoro,
    summary: '来所相談。「心の問題が体に関係することもある」と伝え、専門家のカウンセリングを提案。',
  },
  {
    key: 'watanabe',
    at: '2026-07-20T21:00:00+09:00',
    channel: 'SNS',
    agency: kokoro,
    summary: 'SNS相談。夜間の不安の訴え。',
  },
  {
    key: 'watanabe',
    at: '2026-08-18T19:30:00+09:00',
    channel: 'PHONE',
    agency: kokoro,
    summary: '債務整理の進み具合と睡眠の状態を確認。',
  },
  {
    key: 'sato-mother',
    at: '2026-05-25T11:00:00+09:00',
    channel: 'VISIT',
    agency: hokenjo,
    summary: '保健師による家庭訪問。服薬と生活の状況を確認。',
  },
  {
    key: 'sato-mother',
    at: '2026-06-22T11:00:00+09:00',
    channel: 'VISIT',
    agency: hokenjo,
    summary: '保健師による家庭訪問。娘の負担についても話を聞く。',
  },
  {
    key: 'yamada-son',
    at: '2026-08-10T15:00:00+09:00',
    channel: 'VISIT',
    agency: hokenjo,
    summary: '保健師が訪問に同行。ドア越しに短く会話。',
  },
];

const REFERRALS: { key: ResidentKey; at: string; institution: string; status: string; agency: string }[] = [
  {
    key: 'watanabe',
    at: '2026-07-03T11:00:00+09:00',
    institution: 'みなみ野こころのクリニック（精神科・心療内科）',
    status: 'IN_CARE',
    agency: kokoro,
  },
];

const at = (iso: string) => new Date(iso);

export async function seed(sql: TransactionSql): Promise<void> {
  for (const w of WINDOWS) {
    await sql`
      insert into suicide_prevention.counseling_window (id, name, agency_id, phone, phone_hours, channels)
      values (${demoId(`counseling-window:${w.key}`)}, ${w.name}, ${w.agency}, ${w.phone}, ${w.hours}, ${w.channels})
      on conflict (id) do nothing`;
  }
  for (const [i, a] of ASSESSMENTS.entries()) {
    await sql`
      insert into suicide_prevention.risk_assessment
        (id, person_id, assessed_at, level, signs, assessor_agency_id, co_assessor_agency_id, note)
      values (${demoId(`risk-assessment:${i}`)}, ${residentId(a.key)}, ${at(a.at)}, ${a.level}, ${a.signs},
              ${a.assessor}, ${a.coAssessor ?? null}, ${a.note})
      on conflict (id) do nothing`;
  }
  for (const [i, c] of CONTACTS.entries()) {
    await sql`
      insert into suicide_prevention.counseling_contact (id, person_id, contacted_at, channel, agency_id, summary)
      values (${demoId(`counseling-contact:${i}`)}, ${residentId(c.key)}, ${at(c.at)}, ${c.channel}, ${c.agency}, ${c.summary})
      on conflict (id) do nothing`;
  }
  for (const [i, r] of REFERRALS.entries()) {
    await sql`
      insert into suicide_prevention.psychiatric_referral (id, person_id, referred_at, institution, status, agency_id)
      values (${demoId(`psychiatric-referral:${i}`)}, ${residentId(r.key)}, ${at(r.at)}, ${r.institution}, ${r.status}, ${r.agency})
      on conflict (id) do nothing`;
  }
}
