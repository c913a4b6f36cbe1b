// The demo municipality's 地域循環共生圏 projects (synthetic, modelled on the examples of the joint notice 004),
// their places to participate, and the enrolments of residents the welfare seed supports.

import {
  AGENCIES,
  demoId,
  MUNICIPALITIES,
  residentId,
  residentMunicipality,
  type ResidentKey,
  type TransactionSql,
} from '@hub/platform';

const M = MUNICIPALITIES.minamino;

const PROJECTS = [
  {
    key: 'satoyama-firewood',
    name: '北山里山まき工房',
    kind: 'SATOYAMA_FIREWOOD',
    operator: '北山里山保全の会（地域循環共生圏づくりプラットフォーム活動団体）',
    description:
      '手入れの行き届かない里山の木を切り出して薪にし、薪ストーブ利用者に販売する。里山の管理不足と鳥獣被害、薪にする人手の不足という地域課題に、障害者・生活困窮者の参加の場づくりを重ねた取組。',
  },
  {
    key: 'fire-starter',
    name: 'みなみ野着火材ラボ',
    kind: 'FIRE_STARTER',
    operator: '北山里山保全の会',
    description:
      '薪割りで出る木くず、農家のもみ殻、寺社や飲食店の廃ろうそくを使って着火材を製造し、薪とあわせて販売する。',
  },
  {
    key: 'plastic-upcycling',
    name: 'みなみ野リプラ工房',
    kind: 'PLASTIC_UPCYCLING',
    operator: '一般社団法人 みなみ野デザインラボ（参加支援事業受託事業者）',
    description:
      '市内の工場から出るプラスチック廃材でバッグなどの雑貨を作る工房。一般就労になじめない人が無理のない範囲で「気まま」に働け、売上の一部は困難を抱える子どもの支援に回す。宮崎県三股町の事例に学んだ取組。',
  },
  {
    key: 'food-loss-kitchen',
    name: 'もったいないキッチン',
    kind: 'FOOD_LOSS_KITCHEN',
    operator: 'NPO法人 みなみ野つながり',
    description:
      '規格外の地元野菜や店舗のフードロス食材を回収し、みなみ野みんなの食堂で調理して提供する。支援を受ける人が担い手として運営に加わる。',
  },
  {
    key: 'local-produce',
    name: 'みなみ野朝どれ野菜便',
    kind: 'LOCAL_PRODUCE',
    operator: 'みなみ野ふれあい農園組合',
    description: '地元農家の野菜の収穫・袋詰めと直売所の運営。地元野菜の有効活用として、居場所やこども食堂にも届ける。',
  },
  {
    key: 'biomass',
    name: 'みなみ野木質バイオマス熱供給センター',
    kind: 'BIOMASS',
    operator: 'みなみ野グリーンエネルギー株式会社',
    description:
      '間伐材のチップで公民館と温浴施設に熱を供給する。化石資源の代替と輸送の削減に加え、雇用の一部を中間的就労の場として切り出している。',
  },
] as const;

const OPPORTUNITIES = [
  {
    key: 'firewood-splitting',
    project: 'satoyama-firewood',
    title: '里山の木の搬出と薪割り',
    capacity: 6,
    slots: 3,
    hours: 6,
    outdoor: true,
    schedule: '毎週火・木 9:00-12:00',
    minAge: 18,
  },
  {
    key: 'firewood-sales',
    project: 'satoyama-firewood',
    title: '薪の袋詰めと直売所での販売',
    capacity: 4,
    slots: 1,
    hours: 4,
    outdoor: false,
    schedule: '毎週土 10:00-14:00',
    minAge: null,
  },
  {
    key: 'fire-starter-making',
    project: 'fire-starter',
    title: '木くず・もみ殻・廃ろうそくの着火材づくり',
    capacity: 5,
    slots: 2,
    hours: 3,
    outdoor: false,
    schedule: '毎週水 13:00-16:00',
    minAge: 15,
  },
  {
    key: 'plastic-sorting',
    project: 'plastic-upcycling',
    title: 'プラスチック廃材の仕分けと洗浄',
    capacity: 4,
    slots: 2,
    hours: 4,
    outdoor: false,
    schedule: '平日 10:00-16:00 のうち都合のよい時間',
    minAge: 16,
  },
  {
    key: 'bag-sewing',
    project: 'plastic-upcycling',
    title: 'バッグ・雑貨の縫製と仕上げ',
    capacity: 5,
    slots: 1,
    hours: 5,
    outdoor: false,
    schedule: '平日 10:00-16:00 のうち都合のよい時間',
    minAge: 16,
  },
  {
    key: 'kitchen-cooking',
    project: 'food-loss-kitchen',
    title: '食堂の調理と配膳',
    capacity: 6,
    slots: 1,
    hours: 3.5,
    outdoor: false,
    schedule: '毎月第2・第4土曜 10:00-14:00',
    minAge: 15,
  },
  {
    key: 'kitchen-pickup',
    project: 'food-loss-kitchen',
    title: 'フードロス食材の回収と仕分け',
    capacity: 3,
    slots: 0,
    hours: 2,
    outdoor: true,
    schedule: '毎週金 15:00-17:00',
    minAge: null,
  },
  {
    key: 'vegetable-harvest',
    project: 'local-produce',
    title: '野菜の収穫と袋詰め',
    capacity: 8,
    slots: 2,
    hours: 6,
    outdoor: true,
    schedule: '毎週月・金 8:00-11:00',
    minAge: null,
  },
  {
    key: 'biomass-chips',
    project: 'biomass',
    title: '間伐材チップの受入れと選別',
    capacity: 3,
    slots: 3,
    hours: 15,
    outdoor: true,
    schedule: '平日 9:00-12:00',
    minAge: 18,
  },
  {
    key: 'biomass-boiler',
    project: 'biomass',
    title: 'ボイラー室の清掃と灰の回収',
    capacity: 2,
    slots: 1,
    hours: 4,
    outdoor: false,
    schedule: '毎週月・水 13:00-15:00',
    minAge: 18,
  },
] as const;

const ENROLLMENTS: {
  key: string;
  person: ResidentKey;
  opportunity: (typeof OPPORTUNITIES)[number]['key'];
  on: string;
  status: 'ACTIVE' | 'COMPLETED' | 'WITHDRAWN';
  intermediate: boolean;
  agency: string;
}[] = [
  // The hikikomori adult's welfare history: satoyama firewood work since 2026-04-10, as intermediate work.
  {
    key: 'ito:firewood',
    person: 'ito',
    opportunity: 'firewood-splitting',
    on: '2026-04-10',
    status: 'ACTIVE',
    intermediate: true,
    agency: AGENCIES.minaminoHikikomori.id,
  },
  // The 8050 son's support plan names the satoyama firewood work as a goal; he started recently.
  {
    key: 'yamada-son:firewood',
    person: 'yamada-son',
    opportunity: 'firewood-splitting',
    on: '2026-10-06',
    status: 'ACTIVE',
    intermediate: false,
    agency: AGENCIES.minaminoCollaborator.id,
  },
  {
    key: 'takahashi:kitchen',
    person: 'takahashi',
    opportunity: 'kitchen-cooking',
    on: '2026-06-13',
    status: 'ACTIVE',
    intermediate: false,
    agency: AGENCIES.minaminoSilver.id,
  },
  {
    key: 'kimura:fire-starter',
    person: 'kimura',
    opportunity: 'fire-starter-making',
    on: '2026-02-04',
    status: 'COMPLETED',
    intermediate: false,
    agency: AGENCIES.minaminoEnvironment.id,
  },
  {
    key: 'kimura:bag-sewing',
    person: 'kimura',
    opportunity: 'bag-sewing',
    on: '2026-05-11',
    status: 'ACTIVE',
    intermediate: false,
    agency: AGENCIES.minaminoEnvironment.id,
  },
];

export async function seed(sql: TransactionSql): Promise<void> {
  for (const p of PROJECTS) {
    await sql`
      insert into environment.eco_project (id, name, kind, municipality_code, municipality, operator, description)
      values (${demoId(`eco-project:${p.key}`)}, ${p.name}, ${p.kind}, ${M.code}, ${M.name}, ${p.operator}, ${p.description})
      on conflict (id) do nothing`;
  }
  for (const o of OPPORTUNITIES) {
    await sql`
      insert into environment.participation_opportunity
        (id, project_id, title, capacity, intermediate_work_slots, hours_per_week, outdoor, schedule, min_age)
      values (${demoId(`opportunity:${o.key}`)}, ${demoId(`eco-project:${o.project}`)}, ${o.title}, ${o.capacity},
              ${o.slots}, ${o.hours}, ${o.outdoor}, ${o.schedule}, ${o.minAge})
      on conflict (id) do nothing`;
  }
  for (const e of ENROLLMENTS) {
    await sql`
      insert into environment.enrollment
        (id, person_id, opportunity_id, enrolled_on, status, as_intermediate_work, agency_id, municipality_code)
      values (${demoId(`enrollment:${e.key}`)}, ${residentId(e.person)}, ${demoId(`opportunity:${e.opportunity}`)},
              ${e.on}, ${e.status}, ${e.intermediate}, ${e.agency}, ${residentMunicipality(e.person)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
  }
}
