// The demo municipality's welfare records: みなみ野市's residents (synthetic names, no real people),
// their households and the cases the notices describe, plus the places to belong.

import {
  AGENCIES,
  demoId,
  residentBirthDate,
  residentId,
  residentMunicipality,
  type ResidentKey,
  type TransactionSql,
} from '@hub/platform';

interface Resident {
  key: ResidentKey;
  name: string;
  kana: string;
  address: string;
  phone: string;
  household?: string;
}

const HOUSEHOLDS: { key: string; flags: string[]; summary: string }[] = [
  {
    key: 'yamada',
    flags: ['EIGHTY_FIFTY', 'ISOLATION'],
    summary: '80代の父と長期ひきこもりの50代の息子の二人世帯。父の介護申請を機に相談。',
  },
  { key: 'sato', flags: ['YOUNG_CARER'], summary: '精神疾患のある母と要介護の祖母を高校生の娘が支えている。' },
  { key: 'suzuki', flags: ['DV_ESCAPE'], summary: 'ひがし山町から配偶者の暴力を逃れて転入した母子世帯。' },
  { key: 'tanaka', flags: ['DOUBLE_CARE'], summary: '乳児の子育てと認知症の父の介護を同時に担う。' },
  { key: 'watanabe', flags: ['MULTIPLE_DEBT', 'ISOLATION'], summary: '失業後に多重債務を抱える単身世帯。' },
  { key: 'nakamura', flags: ['HOARDING', 'ISOLATION'], summary: '近隣から苦情のある単身高齢世帯（ごみ屋敷）。' },
];

const RESIDENTS: Resident[] = [
  {
    key: 'yamada-father',
    name: '山田 正一',
    kana: 'ヤマダ ショウイチ',
    address: 'みなみ野市 桜台1-2-3',
    phone: '000-0101-0001',
    household: 'yamada',
  },
  {
    key: 'yamada-son',
    name: '山田 健太',
    kana: 'ヤマダ ケンタ',
    address: 'みなみ野市 桜台1-2-3',
    phone: '000-0101-0001',
    household: 'yamada',
  },
  {
    key: 'sato-mother',
    name: '佐藤 美和',
    kana: 'サトウ ミワ',
    address: 'みなみ野市 若葉町4-5',
    phone: '000-0101-0002',
    household: 'sato',
  },
  {
    key: 'sato-daughter',
    name: '佐藤 葵',
    kana: 'サトウ アオイ',
    address: 'みなみ野市 若葉町4-5',
    phone: '000-0101-0002',
    household: 'sato',
  },
  {
    key: 'sato-grandmother',
    name: '佐藤 トメ',
    kana: 'サトウ トメ',
    address: 'みなみ野市 若葉町4-5',
    phone: '000-0101-0002',
    household: 'sato',
  },
  {
    key: 'suzuki-mother',
    name: '鈴木 由美',
    kana: 'スズキ ユミ',
    address: '（保護のため非表示）',
    phone: '000-0101-0003',
    household: 'suzuki',
  },
  {
    key: 'suzuki-child',
    name: '鈴木 陽向',
    kana: 'スズキ ヒナタ',
    address: '（保護のため非表示）',
    phone: '000-0101-0003',
    household: 'suzuki',
  },
  {
    key: 'takahashi',
    name: '高橋 一郎',
    kana: 'タカハシ イチロウ',
    address: 'みなみ野市 東町2-8-1',
    phone: '000-0101-0004',
  },
  {
    key: 'ito',
    name: '伊藤 翔',
    kana: 'イトウ ショウ',
    address: 'みなみ野市 北山3-1',
    phone: '000-0101-0005',
  },
  {
    key: 'tanaka-mother',
    name: '田中 恵',
    kana: 'タナカ メグミ',
    address: 'みなみ野市 中央5-6-7',
    phone: '000-0101-0006',
    household: 'tanaka',
  },
  {
    key: 'tanaka-baby',
    name: '田中 蓮',
    kana: 'タナカ レン',
    address: 'みなみ野市 中央5-6-7',
    phone: '000-0101-0006',
    household: 'tanaka',
  },
  {
    key: 'tanaka-grandfather',
    name: '田中 勇',
    kana: 'タナカ イサム',
    address: 'みなみ野市 中央5-6-7',
    phone: '000-0101-0006',
    household: 'tanaka',
  },
  {
    key: 'watanabe',
    name: '渡辺 大輔',
    kana: 'ワタナベ ダイスケ',
    address: 'みなみ野市 南町8-2',
    phone: '000-0101-0007',
    household: 'watanabe',
  },
  {
    key: 'kobayashi',
    name: '小林 さくら',
    kana: 'コバヤシ サクラ',
    address: 'みなみ野市 西原1-9',
    phone: '000-0101-0008',
  },
  {
    key: 'nakamura',
    name: '中村 ハル',
    kana: 'ナカムラ ハル',
    address: 'みなみ野市 旭町6-3',
    phone: '000-0101-0009',
    household: 'nakamura',
  },
  {
    key: 'kato',
    name: '加藤 誠',
    kana: 'カトウ マコト',
    address: 'みなみ野市 桜台2-4',
    phone: '000-0101-0010',
  },
  {
    key: 'yoshida',
    name: '吉田 花子',
    kana: 'ヨシダ ハナコ',
    address: 'みなみ野市 東町1-1',
    phone: '000-0101-0011',
  },
  {
    key: 'yamaguchi',
    name: '山口 拓也',
    kana: 'ヤマグチ タクヤ',
    address: 'みなみ野市 若葉町2-2',
    phone: '000-0101-0012',
  },
  {
    key: 'matsumoto',
    name: '松本 直美',
    kana: 'マツモト ナオミ',
    address: 'みなみ野市 中央1-3',
    phone: '000-0101-0013',
  },
  {
    key: 'inoue',
    name: '井上 修',
    kana: 'イノウエ オサム',
    address: 'みなみ野市 北山1-7',
    phone: '000-0101-0014',
  },
  {
    key: 'kimura',
    name: '木村 愛',
    kana: 'キムラ アイ',
    address: 'みなみ野市 南町3-3',
    phone: '000-0101-0015',
  },
  {
    key: 'hayashi',
    name: '林 浩二',
    kana: 'ハヤシ コウジ',
    address: 'みなみ野市 旭町2-5',
    phone: '000-0101-0016',
  },
  {
    key: 'shimizu',
    name: '清水 由紀',
    kana: 'シミズ ユキ',
    address: 'みなみ野市 西原4-4',
    phone: '000-0101-0017',
  },
  {
    key: 'yamazaki',
    name: '山崎 豊',
    kana: 'ヤマザキ ユタカ',
    address: 'みなみ野市 桜台3-8',
    phone: '000-0101-0018',
  },
  {
    key: 'mori',
    name: '森 優子',
    kana: 'モリ ユウコ',
    address: 'みなみ野市 中央2-9',
    phone: '000-0101-0019',
  },
  {
    key: 'abe',
    name: '阿部 隆',
    kana: 'アベ タカシ',
    address: 'みなみ野市 東町4-2',
    phone: '000-0101-0020',
  },
  {
    key: 'ikeda',
    name: '池田 和子',
    kana: 'イケダ カズコ',
    address: 'みなみ野市 北山2-6',
    phone: '000-0101-0021',
  },
  {
    key: 'hashimoto',
    name: '橋本 翼',
    kana: 'ハシモト ツバサ',
    address: 'みなみ野市 南町1-5',
    phone: '000-0101-0022',
  },
  {
    key: 'ishikawa',
    name: '石川 恵子',
    kana: 'イシカワ ケイコ',
    address: 'みなみ野市 旭町5-1',
    phone: '000-0101-0023',
  },
  {
    key: 'ogawa',
    name: '小川 悠斗',
    kana: 'オガワ ユウト',
    address: 'みなみ野市 西原2-7',
    phone: '000-0101-0024',
  },
];

const PLACES = [
  {
    key: 'salon-sakuradai',
    name: '桜台ふれあいサロン',
    kind: 'SALON',
    operator: '桜台町内会',
    location: 'みなみ野市 桜台集会所',
    openDays: '毎週火・金 10:00-15:00',
  },
  {
    key: 'cafeteria-chuo',
    name: 'みなみ野みんなの食堂',
    kind: 'COMMUNITY_CAFETERIA',
    operator: 'NPO法人 みなみ野つながり',
    location: 'みなみ野市 中央公民館',
    openDays: '毎月第2・第4土曜 11:30-14:00',
  },
  {
    key: 'kodomo-wakaba',
    name: 'わかばこども食堂',
    kind: 'CHILDREN_CAFETERIA',
    operator: 'わかば子育てネット',
    location: 'みなみ野市 若葉町 地区センター',
    openDays: '毎週水曜 17:00-19:30',
  },
  {
    key: 'ibasho-kitayama',
    name: 'きたやまの居場所「ひだまり」',
    kind: 'HIKIKOMORI_PLACE',
    operator: 'みなみ野市 ひきこもり支援ステーション',
    location: 'みなみ野市 北山 旧分校',
    openDays: '毎週月・木 13:00-17:00',
  },
  {
    key: 'tamokuteki-higashi',
    name: '東町多世代交流ひろば',
    kind: 'MULTI_GENERATION',
    operator: 'みなみ野市社会福祉協議会',
    location: 'みなみ野市 東町 空き店舗',
    openDays: '平日 10:00-16:00',
  },
];

const at = (iso: string) => new Date(iso);

/** The support flow's main line, which every demo case has followed so far. */
const MAIN_LINE = ['INTAKE', 'ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'CLOSED'] as const;
const TWO_WEEKS = 14 * 86_400_000;

export async function seed(sql: TransactionSql): Promise<void> {
  for (const h of HOUSEHOLDS) {
    await sql`
      insert into welfare.household (id, flags, summary) values (${demoId(`household:${h.key}`)}, ${h.flags}, ${h.summary})
      on conflict (id) do nothing`;
  }
  for (const r of RESIDENTS) {
    await sql`
      insert into welfare.person (id, name, name_kana, birth_date, address, phone, municipality_code, household_id)
      values (${residentId(r.key)}, ${r.name}, ${r.kana}, ${residentBirthDate(r.key)}, ${r.address}, ${r.phone}, ${residentMunicipality(r.key)},
              ${r.household ? demoId(`household:${r.household}`) : null})
      on conflict (id) do nothing`;
  }
  for (const p of PLACES) {
    await sql`
      insert into welfare.community_place (id, name, kind, operator, location, open_days)
      values (${demoId(`place:${p.key}`)}, ${p.name}, ${p.kind}, ${p.operator}, ${p.location}, ${p.openDays})
      on conflict (id) do nothing`;
  }

  const consultations = [
    {
      key: 'yamada-father',
      agency: AGENCIES.minaminoHoukatsu.id,
      at: '2026-04-08T10:00:00+09:00',
      channel: 'VISIT',
      kind: 'ELDERLY',
      summary: '父の介護保険申請の相談。同居の息子が長年外出していないとの話。',
    },
    {
      key: 'sato-daughter',
      agency: AGENCIES.minaminoCollaborator.id,
      at: '2026-05-12T16:30:00+09:00',
      channel: 'REFERRAL',
      kind: 'CHILD_REARING',
      summary: '学校から：欠席が増え、家族の世話をしている様子。',
    },
    {
      key: 'tanaka-mother',
      agency: AGENCIES.minaminoHoukatsu.id,
      at: '2026-06-03T11:00:00+09:00',
      channel: 'PHONE',
      kind: 'ELDERLY',
      summary: '父の認知症の進行と乳児の育児が重なり疲弊。',
    },
    {
      key: 'watanabe',
      agency: AGENCIES.minaminoSelfReliance.id,
      at: '2026-06-20T14:00:00+09:00',
      channel: 'VISIT',
      kind: 'SELF_RELIANCE',
      summary: '失業と複数の借入。眠れない日が続くとの訴え。',
    },
    {
      key: 'nakamura',
      agency: AGENCIES.minaminoHoukatsu.id,
      at: '2026-03-15T09:30:00+09:00',
      channel: 'OUTREACH',
      kind: 'ELDERLY',
      summary: '近隣住民から、ごみの堆積と悪臭についての情報提供。',
    },
    {
      key: 'suzuki-mother',
      agency: AGENCIES.minaminoSelfReliance.id,
      at: '2026-07-01T10:00:00+09:00',
      channel: 'REFERRAL',
      kind: 'SELF_RELIANCE',
      summary: '転入後の生活再建（住まい・就労）の相談。',
    },
    {
      key: 'takahashi',
      agency: AGENCIES.minaminoSelfReliance.id,
      at: '2026-05-28T13:00:00+09:00',
      channel: 'VISIT',
      kind: 'SELF_RELIANCE',
      summary: '定年後の収入減。短時間の仕事を探したい。',
    },
    {
      key: 'kato',
      agency: AGENCIES.minaminoSelfReliance.id,
      at: '2026-08-05T15:00:00+09:00',
      channel: 'PHONE',
      kind: 'SELF_RELIANCE',
      summary: '家賃の支払いについての一般的な相談。',
    },
    {
      key: 'yoshida',
      agency: AGENCIES.minaminoHoukatsu.id,
      at: '2026-08-18T10:30:00+09:00',
      channel: 'VISIT',
      kind: 'ELDERLY',
      summary: '一人暮らしの不安。サロンを紹介。',
    },
  ];
  for (const [i, c] of consultations.entries()) {
    await sql`
      insert into welfare.consultation (id, person_id, agency_id, received_at, channel, agency_kind, summary)
      values (${demoId(`consultation:${i}`)}, ${residentId(c.key as ResidentKey)}, ${c.agency}, ${at(c.at)}, ${c.channel}, ${c.kind}, ${c.summary})
      on conflict (id) do nothing`;
  }

  const collaborator = AGENCIES.minaminoCollaborator.id;
  const cases = [
    {
      key: 'yamada-son',
      status: 'ACTIVE',
      issues: ['HIKIKOMORI', 'CARE', 'ISOLATION', 'ECONOMIC'],
      opened: '2026-04-20T09:00:00+09:00',
    },
    {
      key: 'sato-daughter',
      status: 'PLANNING',
      issues: ['CARE', 'CHILD_REARING', 'MENTAL_HEALTH'],
      opened: '2026-05-20T09:00:00+09:00',
    },
    {
      key: 'tanaka-mother',
      status: 'ASSESSMENT',
      issues: ['CARE', 'CHILD_REARING'],
      opened: '2026-06-10T09:00:00+09:00',
    },
    {
      key: 'watanabe',
      status: 'ACTIVE',
      issues: ['DEBT', 'EMPLOYMENT', 'MENTAL_HEALTH', 'ECONOMIC'],
      opened: '2026-06-25T09:00:00+09:00',
    },
    {
      key: 'suzuki-mother',
      status: 'MONITORING',
      issues: ['ABUSE_DV', 'HOUSING', 'EMPLOYMENT'],
      opened: '2026-07-03T09:00:00+09:00',
    },
    { key: 'ito', status: 'MONITORING', issues: ['HIKIKOMORI', 'EMPLOYMENT'], opened: '2025-09-01T09:00:00+09:00' },
    {
      key: 'nakamura',
      status: 'CLOSED',
      issues: ['HOUSING', 'ISOLATION', 'CARE'],
      opened: '2026-03-20T09:00:00+09:00',
      closed: '2026-09-30T17:00:00+09:00',
      closure: {
        reason: '住環境が改善し、地域包括支援センターの見守りに移行',
        participants: [collaborator, AGENCIES.minaminoHoukatsu.id, AGENCIES.minaminoWelfare.id],
      },
    },
  ];
  for (const c of cases) {
    await sql`
      insert into welfare.support_case (id, person_id, status, issues, lead_agency_id, opened_at, closed_at,
                                        closure_reason, closure_participant_agency_ids, closed_by, municipality_code)
      values (${demoId(`case:${c.key}`)}, ${residentId(c.key as ResidentKey)}, ${c.status}, ${c.issues}, ${collaborator},
              ${at(c.opened)}, ${c.closed ? at(c.closed) : null}, ${c.closure?.reason ?? null},
              ${c.closure?.participants ?? null}, ${c.closure ? collaborator : null},
              ${residentMunicipality(c.key as ResidentKey)})
      on conflict (id) do update set municipality_code = excluded.municipality_code`;
    // The demo's history: the flow's main line up to the case's status, a step every two weeks.
    const path = MAIN_LINE.slice(0, MAIN_LINE.indexOf(c.status as (typeof MAIN_LINE)[number]) + 1);
    for (const [i, to] of path.entries()) {
      const when = to === 'CLOSED' && c.closed ? at(c.closed) : new Date(at(c.opened).getTime() + i * TWO_WEEKS);
      await sql`
        insert into welfare.case_event (id, case_id, at, from_status, to_status, agency_id)
        values (${demoId(`case-event:${c.key}:${i}`)}, ${demoId(`case:${c.key}`)}, ${when}, ${path[i - 1] ?? null},
                ${to}, ${collaborator})
        on conflict (id) do nothing`;
    }
  }

  const plans: { key: string; goals: string[]; roles: { agencyId: string; role: string; issues: string[] }[] }[] = [
    {
      key: 'yamada-son',
      goals: ['父の介護サービス利用を開始する', '本人が週1回居場所に通う', '里山の薪割り作業に参加する'],
      roles: [
        { agencyId: collaborator, role: '生活・経済面の課題の整理と全体調整', issues: ['LIVING', 'ECONOMIC'] },
        { agencyId: AGENCIES.minaminoHoukatsu.id, role: '父の介護保険サービスの調整', issues: ['CARE'] },
        {
          agencyId: AGENCIES.minaminoHikikomori.id,
          role: '本人への訪問と居場所へのつなぎ',
          issues: ['HIKIKOMORI', 'ISOLATION'],
        },
        { agencyId: AGENCIES.minaminoEnvironment.id, role: '里山活動での参加の場の提供', issues: ['ISOLATION'] },
      ],
    },
    {
      key: 'watanabe',
      goals: ['債務整理の手続きを進める', '短時間の仕事に就く', '眠れない状態について専門相談につなぐ'],
      roles: [
        // 別添2 6(1): living and economic issues to the collaborator, listening and mental support to the window.
        {
          agencyId: collaborator,
          role: '生活・経済面の課題（債務整理・家計）',
          issues: ['LIVING', 'ECONOMIC', 'DEBT'],
        },
        { agencyId: AGENCIES.minaminoKokoro.id, role: '傾聴とこころの健康面の支援', issues: ['MENTAL_HEALTH'] },
        { agencyId: AGENCIES.helloWorkMinamino.id, role: '多様な働き方の求人紹介', issues: ['EMPLOYMENT'] },
      ],
    },
    {
      key: 'suzuki-mother',
      goals: ['住まいを安定させる', '子の保育を確保する', '就労を再開する'],
      roles: [
        { agencyId: AGENCIES.minaminoSelfReliance.id, role: '住居確保と生活再建', issues: ['HOUSING', 'LIVING'] },
        { agencyId: AGENCIES.midoriDvCentre.id, role: '安全確保と保護命令の相談', issues: ['ABUSE_DV'] },
        { agencyId: AGENCIES.helloWorkMinamino.id, role: '就職支援', issues: ['EMPLOYMENT'] },
      ],
    },
  ];
  plans.push({
    key: 'ito',
    goals: ['里山の薪割り作業を中間的就労として続ける', 'ハローワークで短時間の仕事を探す'],
    roles: [
      { agencyId: AGENCIES.minaminoHikikomori.id, role: '本人との面談と居場所での見守り', issues: ['HIKIKOMORI'] },
      {
        agencyId: AGENCIES.minaminoEnvironment.id,
        role: '里山活動での中間的就労の場の提供',
        issues: ['EMPLOYMENT', 'ISOLATION'],
      },
      { agencyId: AGENCIES.helloWorkMinamino.id, role: '多様な働き方の求人紹介', issues: ['EMPLOYMENT'] },
    ],
  });
  for (const p of plans) {
    await sql`
      insert into welfare.support_plan (id, case_id, version, goals, roles, review_on, drafted_by)
      values (${demoId(`plan:${p.key}:1`)}, ${demoId(`case:${p.key}`)}, 1, ${p.goals}, ${sql.json(p.roles)}, ${'2026-12-15'},
              ${collaborator})
      on conflict (id) do nothing`;
  }

  const outreach = [
    {
      key: 'yamada-son',
      at: '2026-04-22T10:00:00+09:00',
      method: 'LETTER',
      stage: 'NO_CONTACT',
      note: '本人宛に手紙を投函',
    },
    {
      key: 'yamada-son',
      at: '2026-05-06T14:00:00+09:00',
      method: 'FAMILY_MEETING',
      stage: 'FAMILY_CONTACT',
      note: '父と面談',
    },
    {
      key: 'yamada-son',
      at: '2026-06-02T14:00:00+09:00',
      method: 'FAMILY_MEETING',
      stage: 'FAMILY_TRUST',
      note: '父から本人の様子を聞く。訪問の了解を得る',
    },
    {
      key: 'yamada-son',
      at: '2026-06-20T15:00:00+09:00',
      method: 'HOME_VISIT',
      stage: 'PERSON_CONTACT',
      note: '初回訪問。ドア越しに挨拶',
    },
    {
      key: 'yamada-son',
      at: '2026-07-15T15:00:00+09:00',
      method: 'PEER_SUPPORTER_VISIT',
      stage: 'ONGOING',
      note: 'ひきこもりサポーターと訪問',
    },
    {
      key: 'nakamura',
      at: '2026-03-18T10:00:00+09:00',
      method: 'HOME_VISIT',
      stage: 'PERSON_CONTACT',
      note: '玄関先で短時間会話',
    },
  ];
  for (const [i, o] of outreach.entries()) {
    await sql`
      insert into welfare.outreach_record (id, person_id, agency_id, contacted_at, method, relationship_stage, note)
      values (${demoId(`outreach:${i}`)}, ${residentId(o.key as ResidentKey)}, ${AGENCIES.minaminoHikikomori.id},
              ${at(o.at)}, ${o.method}, ${o.stage}, ${o.note})
      on conflict (id) do nothing`;
  }

  const hikikomori = [
    {
      key: 'yamada-son',
      since: 1998,
      stage: 'GROUP_PARTICIPATION',
      family: 4,
      peer: 3,
      place: 'ibasho-kitayama',
      history: [
        { on: '2026-05-06', note: '父が家族教室に参加' },
        { on: '2026-06-20', note: '初回訪問' },
        { on: '2026-09-01', note: '居場所に初めて来所' },
      ],
    },
    {
      key: 'ito',
      since: 2015,
      stage: 'SOCIAL_PARTICIPATION',
      family: 6,
      peer: 8,
      place: 'ibasho-kitayama',
      history: [
        { on: '2025-10-01', note: '居場所への通所が定着' },
        { on: '2026-04-10', note: '里山の薪割り作業に参加を開始' },
      ],
    },
  ];
  for (const h of hikikomori) {
    await sql`
      insert into welfare.hikikomori_support
        (id, person_id, withdrawn_since, stage, agency_id, family_class_attendance, peer_supporter_visits, place_id, history)
      values (${demoId(`hikikomori:${h.key}`)}, ${residentId(h.key as ResidentKey)}, ${h.since}, ${h.stage},
              ${AGENCIES.minaminoHikikomori.id}, ${h.family}, ${h.peer}, ${demoId(`place:${h.place}`)}, ${sql.json(h.history)})
      on conflict (id) do nothing`;
  }

  // 参加支援: the wishes and limits of the residents in participation support, for matching them with local
  // resources (the 8050 household's son first: short, outdoor work near the place to belong he goes to).
  const profiles = [
    {
      key: 'yamada-son',
      wishes: ['LIGHT_WORK', 'ENVIRONMENT', 'PLACE_TO_BELONG'],
      hours: 6,
      setting: 'OUTDOOR',
      area: '北山',
      notes: '人の多い場所は苦手。居場所のスタッフが同行できる活動から始めたい。',
      agency: AGENCIES.minaminoHikikomori.id,
    },
    {
      key: 'ito',
      wishes: ['PAID_WORK', 'LIGHT_WORK', 'ENVIRONMENT'],
      hours: 20,
      setting: 'EITHER',
      area: '北山',
      notes: '薪割り作業に慣れてきた。短時間の仕事にも挑戦したい。',
      agency: AGENCIES.minaminoHikikomori.id,
    },
    {
      key: 'watanabe',
      wishes: ['PAID_WORK', 'LIGHT_WORK'],
      hours: 15,
      setting: 'INDOOR',
      area: '南部',
      notes: '体調に波があるため、まずは短時間から。',
      agency: collaborator,
    },
    {
      key: 'takahashi',
      wishes: ['PAID_WORK', 'VOLUNTEER'],
      hours: 20,
      setting: 'OUTDOOR',
      area: '東町',
      notes: '定年まで造園業。体を動かす仕事を希望。',
      agency: AGENCIES.minaminoSelfReliance.id,
    },
    {
      key: 'yoshida',
      wishes: ['PLACE_TO_BELONG', 'VOLUNTEER', 'LEARNING'],
      hours: 4,
      setting: 'INDOOR',
      area: '東町',
      notes: 'サロンで知り合いができた。手芸が得意。',
      agency: AGENCIES.minaminoHoukatsu.id,
    },
  ];
  for (const p of profiles) {
    await sql`
      insert into welfare.participation_profile
        (person_id, wishes, max_hours_per_week, setting, near_area, notes, agency_id, updated_at)
      values (${residentId(p.key as ResidentKey)}, ${p.wishes}, ${p.hours}, ${p.setting}, ${p.area}, ${p.notes},
              ${p.agency}, ${at('2026-10-01T10:00:00+09:00')})
      on conflict (person_id) do nothing`;
  }
}
