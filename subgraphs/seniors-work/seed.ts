// The demo municipality's silver-centre records: members among みなみ野市's older residents (synthetic; their
// stories are in the welfare seed), the centre's work offers, and the real councils the notice lists.

import {
  AGENCIES,
  demoId,
  residentId,
  residentMunicipality,
  type ResidentKey,
  type TransactionSql,
} from '@hub/platform';
import { LIFELONG_COUNCILS } from './councils.js';

const CENTRE = AGENCIES.minaminoSilver;

// 別添5: local needs matched with older people's wish to work; 別添6 2(1): work cut out of care, tourism and farming.
const OFFERS: {
  key: string;
  title: string;
  hours: number;
  location: string;
  outdoor: boolean;
  slots: number;
  description: string;
}[] = [
  {
    key: 'grass-cutting',
    title: '草刈り',
    hours: 8,
    location: 'みなみ野市 東町・桜台の市営住宅周辺',
    outdoor: true,
    slots: 6,
    description: '市営住宅の共用地の草刈りと集草。刈払機の講習あり。',
  },
  {
    key: 'tree-pruning',
    title: '植木剪定',
    hours: 10,
    location: 'みなみ野市内の個人宅',
    outdoor: true,
    slots: 4,
    description: '個人宅の庭木の剪定と後片付け。経験者優遇。',
  },
  {
    key: 'childcare-support',
    title: '子育て支援（学童保育の見守り補助）',
    hours: 6,
    location: 'みなみ野市 若葉町 学童クラブ',
    outdoor: false,
    slots: 3,
    description: '放課後の子どもの見守りと宿題の声かけ。',
  },
  {
    key: 'watching-over',
    title: '見守り・話し相手',
    hours: 4,
    location: 'みなみ野市内の一人暮らし高齢者宅',
    outdoor: false,
    slots: 5,
    description: '一人暮らしの高齢者宅を訪ねての安否確認と話し相手。',
  },
  {
    key: 'housework',
    title: '家事援助（掃除・買い物代行）',
    hours: 6,
    location: 'みなみ野市内の個人宅',
    outdoor: false,
    slots: 4,
    description: '日常の掃除、洗濯、買い物の代行。',
  },
  {
    key: 'bicycle-parking',
    title: '駅前駐輪場の管理',
    hours: 15,
    location: 'みなみ野駅 東口駐輪場',
    outdoor: true,
    slots: 3,
    description: '駐輪場の整理、利用者案内、簡単な清掃。',
  },
  {
    key: 'shoji-repair',
    title: '障子・網戸の張替え',
    hours: 4,
    location: 'センター作業所（みなみ野市 中央）',
    outdoor: false,
    slots: 2,
    description: '依頼のあった障子と網戸の張替え作業。',
  },
  {
    key: 'community-hall',
    title: '公民館の受付・清掃',
    hours: 12,
    location: 'みなみ野市 中央公民館',
    outdoor: false,
    slots: 2,
    description: '受付での貸室案内と館内の清掃。',
  },
  {
    key: 'vacant-house-patrol',
    title: '空き家の見回り・除草',
    hours: 4,
    location: 'みなみ野市 北山地区',
    outdoor: true,
    slots: 3,
    description: '所有者から依頼された空き家の外観確認と敷地の除草。',
  },
  {
    key: 'care-meal-help',
    title: '介護施設の配膳・話し相手',
    hours: 8,
    location: 'みなみ野市 桜台 特別養護老人ホーム',
    outdoor: false,
    slots: 3,
    description: '食事の配膳と片付け、将棋や囲碁など趣味の相手。',
  },
];

const MEMBERS: { key: ResidentKey; joinedOn: string; skills: string[]; status: string }[] = [
  { key: 'takahashi', joinedOn: '2026-06-15', skills: ['草刈り', '普通自動車運転'], status: 'ACTIVE' },
  { key: 'yamazaki', joinedOn: '2012-04-01', skills: ['植木剪定', '造園'], status: 'ACTIVE' },
  { key: 'inoue', joinedOn: '2020-10-01', skills: ['自転車整備', '受付・案内'], status: 'ACTIVE' },
  { key: 'ikeda', joinedOn: '2005-04-01', skills: ['和裁', '子育て経験'], status: 'SUSPENDED' },
  { key: 'yoshida', joinedOn: '2026-09-01', skills: ['家事', '話し相手'], status: 'ACTIVE' },
];

const ASSIGNMENTS: { key: ResidentKey; offer: string; startedOn: string; endedOn: string | null; hours: number }[] = [
  { key: 'takahashi', offer: 'grass-cutting', startedOn: '2026-07-01', endedOn: null, hours: 8 },
  { key: 'yamazaki', offer: 'tree-pruning', startedOn: '2024-05-01', endedOn: null, hours: 10 },
  { key: 'inoue', offer: 'bicycle-parking', startedOn: '2025-04-01', endedOn: null, hours: 12 },
  { key: 'ikeda', offer: 'childcare-support', startedOn: '2023-04-01', endedOn: '2026-03-31', hours: 6 },
  { key: 'yoshida', offer: 'watching-over', startedOn: '2026-10-01', endedOn: null, hours: 4 },
];

export async function seed(sql: TransactionSql): Promise<void> {
  for (const o of OFFERS) {
    await sql`
      insert into seniors_work.work_offer (id, title, centre_name, hours_per_week, location, outdoor, slots, description)
      values (${demoId(`work-offer:${o.key}`)}, ${o.title}, ${CENTRE.name}, ${o.hours}, ${o.location}, ${o.outdoor},
              ${o.slots}, ${o.description})
      on conflict (id) do nothing`;
  }
  for (const m of MEMBERS) {
    await sql`
      insert into seniors_work.silver_membership (id, person_id, centre_name, agency_id, joined_on, skills, status)
      values (${demoId(`silver-membership:${m.key}`)}, ${residentId(m.key)}, ${CENTRE.name}, ${CENTRE.id}, ${m.joinedOn},
              ${m.skills}, ${m.status})
      on conflict (id) do nothing`;
  }
  for (const a of ASSIGNMENTS) {
    await sql`
      insert into seniors_work.assignment
        (id, person_id, offer_id, started_on, ended_on, hours_per_week, recorded_by, municipality_code)
      values (${demoId(`assignment:${a.key}:${a.offer}`)}, ${residentId(a.key)}, ${demoId(`work-offer:${a.offer}`)},
              ${a.startedOn}, ${a.endedOn}, ${a.hours}, ${CENTRE.id}, ${residentMunicipality(a.key)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
  }
  const councils = LIFELONG_COUNCILS.map((c) => ({
    id: demoId(`lifelong-council:${c.key}`),
    course: c.course,
    prefectureCode: c.prefectureCode,
    prefecture: c.prefecture,
    municipality: c.municipality,
    organisation: c.organisation,
    periodStart: c.periodStart,
    periodEnd: c.periodEnd,
  }));
  await sql`
    insert into seniors_work.lifelong_council ${sql(
      councils,
      'id',
      'course',
      'prefectureCode',
      'prefecture',
      'municipality',
      'organisation',
      'periodStart',
      'periodEnd',
    )}
    on conflict (id) do nothing`;
}
