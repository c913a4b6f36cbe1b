// The demo municipality's Hello Work records: job seekers among みなみ野市's residents (synthetic; their
// stories are in the welfare seed), openings in the city including diverse work, and placements.

import {
  AGENCIES,
  demoId,
  residentId,
  residentMunicipality,
  type ResidentKey,
  type TransactionSql,
} from '@hub/platform';

interface Opening {
  key: string;
  title: string;
  employer: string;
  workStyle: string;
  hours: number;
  weeks?: number;
  diverse: boolean;
  targets: string[];
  location: string;
  outdoor: boolean;
  minAge?: number;
  maxAge?: number;
  openings: number;
  postedOn: string;
}

// 別添4 別紙 2(3): 多様な就労 — ひきこもりや難病、高齢者等に向けた短時間・短期間の就労や就労経験が少ない者向けの就労.
const OPENINGS: Opening[] = [
  {
    key: 'warehouse-sorting',
    title: '倉庫内の商品仕分け（短時間）',
    employer: 'みなみ野物流センター株式会社',
    workStyle: 'SHORT_HOURS',
    hours: 15,
    diverse: true,
    targets: ['HIKIKOMORI_EXPERIENCE', 'LIMITED_WORK_EXPERIENCE', 'OLDER_WORKER'],
    location: 'みなみ野市 南部工業団地',
    outdoor: false,
    openings: 4,
    postedOn: '2026-07-10',
  },
  {
    key: 'harvest-help',
    title: '収穫期の農作業補助（短期）',
    employer: 'みなみ野ファーム合同会社',
    workStyle: 'SHORT_TERM',
    hours: 20,
    weeks: 8,
    diverse: true,
    targets: ['HIKIKOMORI_EXPERIENCE', 'LIMITED_WORK_EXPERIENCE', 'OLDER_WORKER'],
    location: 'みなみ野市 北山地区の農園',
    outdoor: true,
    openings: 6,
    postedOn: '2026-07-20',
  },
  {
    key: 'data-entry-home',
    title: 'データ入力（在宅・短時間）',
    employer: '株式会社みなみ野データサービス',
    workStyle: 'SHORT_HOURS',
    hours: 10,
    diverse: true,
    targets: ['INTRACTABLE_ILLNESS', 'DISABILITY', 'HIKIKOMORI_EXPERIENCE', 'SINGLE_PARENT'],
    location: '在宅（初回研修のみ みなみ野市 中央の事業所）',
    outdoor: false,
    openings: 3,
    postedOn: '2026-08-03',
  },
  {
    key: 'care-assistant',
    title: '介護助手（配膳・清掃・シーツ交換）',
    employer: '社会福祉法人みなみ野福祉会 特別養護老人ホームさくらの里',
    workStyle: 'SHORT_HOURS',
    hours: 12,
    diverse: true,
    targets: ['OLDER_WORKER'],
    location: 'みなみ野市 桜台',
    outdoor: false,
    minAge: 60,
    openings: 5,
    postedOn: '2026-06-01',
  },
  {
    key: 'early-shelving',
    title: 'スーパーの早朝品出し（短時間）',
    employer: '株式会社みなみ野ストア 中央店',
    workStyle: 'SHORT_HOURS',
    hours: 12,
    diverse: true,
    targets: ['OLDER_WORKER', 'LIMITED_WORK_EXPERIENCE'],
    location: 'みなみ野市 中央',
    outdoor: false,
    openings: 2,
    postedOn: '2026-09-01',
  },
  {
    key: 'park-cleaning',
    title: '公園清掃・軽作業（中間的就労）',
    employer: 'NPO法人 みなみ野つながり',
    workStyle: 'INTERMEDIATE_WORK',
    hours: 6,
    diverse: true,
    targets: ['HIKIKOMORI_EXPERIENCE', 'LIMITED_WORK_EXPERIENCE'],
    location: 'みなみ野市 中央公園ほか',
    outdoor: true,
    openings: 4,
    postedOn: '2026-05-15',
  },
  {
    key: 'library-returns',
    title: '図書館の返却本整理（短時間）',
    employer: '株式会社みなみ野図書館サービス',
    workStyle: 'SHORT_HOURS',
    hours: 8,
    diverse: true,
    targets: ['INTRACTABLE_ILLNESS', 'DISABILITY'],
    location: 'みなみ野市立中央図書館',
    outdoor: false,
    openings: 2,
    postedOn: '2026-08-20',
  },
  {
    key: 'year-end-sorting',
    title: '年末年始の郵便物仕分け（短期）',
    employer: 'みなみ野郵便配送株式会社',
    workStyle: 'SHORT_TERM',
    hours: 30,
    weeks: 3,
    diverse: true,
    targets: ['LIMITED_WORK_EXPERIENCE'],
    location: 'みなみ野市 東町',
    outdoor: false,
    openings: 10,
    postedOn: '2026-10-15',
  },
  {
    key: 'office-assistant',
    title: '一般事務補助（9時〜15時）',
    employer: 'みなみ野建設株式会社',
    workStyle: 'PART_TIME',
    hours: 25,
    diverse: false,
    targets: ['SINGLE_PARENT'],
    location: 'みなみ野市 若葉町',
    outdoor: false,
    openings: 1,
    postedOn: '2026-07-25',
  },
  {
    key: 'kitchen-assistant',
    title: '保育園の調理補助',
    employer: '社会福祉法人わかば会 わかば保育園',
    workStyle: 'PART_TIME',
    hours: 20,
    diverse: false,
    targets: [],
    location: 'みなみ野市 若葉町',
    outdoor: false,
    openings: 1,
    postedOn: '2026-08-10',
  },
  {
    key: 'machine-operator',
    title: '製造オペレーター（正社員）',
    employer: 'みなみ野精密工業株式会社',
    workStyle: 'FULL_TIME',
    hours: 40,
    diverse: false,
    targets: [],
    location: 'みなみ野市 南部工業団地',
    outdoor: false,
    maxAge: 35,
    openings: 2,
    postedOn: '2026-06-20',
  },
  {
    key: 'delivery-driver',
    title: '配送ドライバー（正社員）',
    employer: 'みなみ野運輸株式会社',
    workStyle: 'FULL_TIME',
    hours: 40,
    diverse: false,
    targets: [],
    location: 'みなみ野市 東町 営業所',
    outdoor: true,
    openings: 3,
    postedOn: '2026-09-10',
  },
];

const JOB_SEEKERS: {
  key: ResidentKey;
  registeredAt: string;
  desiredWork: string;
  hours: number | null;
  styles: string[];
  needs: string[];
  status: string;
}[] = [
  {
    key: 'takahashi',
    registeredAt: '2026-06-02T10:00:00+09:00',
    desiredWork: '施設の補助業務・倉庫内の軽作業',
    hours: 15,
    styles: ['SHORT_HOURS'],
    needs: ['OLDER_WORKER'],
    status: 'ACTIVE',
  },
  {
    key: 'watanabe',
    registeredAt: '2026-07-08T14:00:00+09:00',
    desiredWork: '倉庫・物流の作業',
    hours: 25,
    styles: ['PART_TIME', 'SHORT_HOURS'],
    needs: [],
    status: 'PLACED',
  },
  {
    key: 'suzuki-mother',
    registeredAt: '2026-07-14T10:30:00+09:00',
    desiredWork: '事務（保育園の送迎に間に合う時間帯）',
    hours: 25,
    styles: ['PART_TIME', 'SHORT_HOURS'],
    needs: ['SINGLE_PARENT'],
    status: 'ACTIVE',
  },
  {
    key: 'yamaguchi',
    registeredAt: '2026-06-18T09:30:00+09:00',
    desiredWork: '製造業の機械オペレーター',
    hours: 40,
    styles: ['FULL_TIME'],
    needs: [],
    status: 'ACTIVE',
  },
  {
    key: 'ito',
    registeredAt: '2026-09-15T10:00:00+09:00',
    desiredWork: '屋外の作業（里山での経験を活かして）',
    hours: 12,
    styles: ['INTERMEDIATE_WORK', 'SHORT_HOURS'],
    needs: ['HIKIKOMORI_EXPERIENCE'],
    status: 'ACTIVE',
  },
  {
    key: 'ogawa',
    registeredAt: '2026-07-22T15:00:00+09:00',
    desiredWork: '屋外の軽作業',
    hours: 20,
    styles: ['SHORT_TERM', 'SHORT_HOURS'],
    needs: ['LIMITED_WORK_EXPERIENCE'],
    status: 'ACTIVE',
  },
];

const PLACEMENTS: { key: ResidentKey; opening: string; startedOn: string; endedOn: string | null; status: string }[] = [
  { key: 'watanabe', opening: 'warehouse-sorting', startedOn: '2026-09-01', endedOn: null, status: 'EMPLOYED' },
  { key: 'ogawa', opening: 'harvest-help', startedOn: '2026-08-17', endedOn: '2026-10-11', status: 'COMPLETED' },
];

export async function seed(sql: TransactionSql): Promise<void> {
  const office = AGENCIES.helloWorkMinamino.id;
  for (const o of OPENINGS) {
    await sql`
      insert into employment.job_opening
        (id, title, employer, work_style, hours_per_week, duration_weeks, diverse_work, target_groups, location, outdoor,
         min_age, max_age, openings, posted_on)
      values (${demoId(`job-opening:${o.key}`)}, ${o.title}, ${o.employer}, ${o.workStyle}, ${o.hours}, ${o.weeks ?? null},
              ${o.diverse}, ${o.targets}, ${o.location}, ${o.outdoor}, ${o.minAge ?? null}, ${o.maxAge ?? null},
              ${o.openings}, ${o.postedOn})
      on conflict (id) do nothing`;
  }
  for (const s of JOB_SEEKERS) {
    await sql`
      insert into employment.job_seeker
        (id, person_id, registered_at, office_agency_id, desired_work, desired_hours_per_week, preferred_work_styles,
         support_needs, status)
      values (${demoId(`job-seeker:${s.key}`)}, ${residentId(s.key)}, ${new Date(s.registeredAt)}, ${office},
              ${s.desiredWork}, ${s.hours}, ${s.styles}, ${s.needs}, ${s.status})
      on conflict (id) do nothing`;
  }
  for (const p of PLACEMENTS) {
    await sql`
      insert into employment.placement
        (id, person_id, opening_id, started_on, ended_on, status, recorded_by, municipality_code)
      values (${demoId(`placement:${p.key}:${p.opening}`)}, ${residentId(p.key)}, ${demoId(`job-opening:${p.opening}`)},
              ${p.startedOn}, ${p.endedOn}, ${p.status}, ${office}, ${residentMunicipality(p.key)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
  }
}
