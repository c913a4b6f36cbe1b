// The synthetic municipality every service's demo seed shares: two municipalities, their agencies and
// the stable ids of the residents. No real person: names and facts live only in each domain's seed.

import { createHash } from 'node:crypto';
import type { Domain } from './services.js';

/** A deterministic UUID (version-5 layout) for a demo key, so every seed names the same resident. */
export function demoId(key: string): string {
  const hex = createHash('sha1').update(`hub-demo:${key}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export interface DemoMunicipality {
  readonly code: string;
  readonly name: string;
  readonly prefecture: string;
}

/** Fictional municipalities; codes in the 99xxxx range, which no real municipality uses. */
export const MUNICIPALITIES = {
  minamino: { code: '990001', name: 'みなみ野市', prefecture: 'みどり県' },
  higashiyama: { code: '990002', name: 'ひがし山町', prefecture: 'みどり県' },
} as const satisfies Record<string, DemoMunicipality>;

export interface DemoAgency {
  readonly id: string;
  readonly name: string;
  readonly domain: Domain;
  readonly municipalityCode: string;
  readonly kind: string;
  /** The municipalities it serves, when more than its own (a 公共職業安定所 or 児童相談所 covers several). */
  readonly serves?: readonly string[];
}

/** The municipalities an agency serves: its own, or those it is seeded to serve. */
export function jurisdictionOf(agency: DemoAgency): readonly string[] {
  return agency.serves ?? [agency.municipalityCode];
}

const m = MUNICIPALITIES.minamino.code;
const h = MUNICIPALITIES.higashiyama.code;

/**
 * One agency of every domain in みなみ野市, and the destination agencies of a DV transfer in ひがし山町. The
 * Hello Work office and the child guidance centre serve both towns; each town's own offices serve that town.
 */
export const AGENCIES = {
  minaminoWelfare: {
    id: 'minamino-welfare',
    name: 'みなみ野市 福祉総合相談課',
    domain: 'WELFARE',
    municipalityCode: m,
    kind: '重層的支援体制整備事業 所管課',
  },
  minaminoCollaborator: {
    id: 'minamino-collaborator',
    name: 'みなみ野市社会福祉協議会 多機関協働推進室',
    domain: 'WELFARE',
    municipalityCode: m,
    kind: '多機関協働事業者',
  },
  minaminoHoukatsu: {
    id: 'minamino-houkatsu',
    name: 'みなみ野市 中央地域包括支援センター',
    domain: 'WELFARE',
    municipalityCode: m,
    kind: '地域包括支援センター',
  },
  minaminoSelfReliance: {
    id: 'minamino-jiritsu',
    name: 'みなみ野市 自立相談支援センター',
    domain: 'WELFARE',
    municipalityCode: m,
    kind: '自立相談支援機関',
  },
  minaminoHikikomori: {
    id: 'minamino-hikikomori',
    name: 'みなみ野市 ひきこもり支援ステーション',
    domain: 'WELFARE',
    municipalityCode: m,
    kind: 'ひきこもり支援担当部局',
  },
  minaminoKokoro: {
    id: 'minamino-kokoro',
    name: 'みなみ野市 こころの健康相談窓口',
    domain: 'SUICIDE_PREVENTION',
    municipalityCode: m,
    kind: '自殺対策主管部局',
  },
  midoriHealthCentre: {
    id: 'midori-hokenjo',
    name: 'みどり県 みなみ野保健所',
    domain: 'SUICIDE_PREVENTION',
    municipalityCode: m,
    kind: '保健所',
  },
  midoriChildGuidance: {
    id: 'midori-jisou',
    name: 'みどり県 中央児童相談所',
    domain: 'CHILD_DV',
    municipalityCode: m,
    kind: '児童相談所',
    serves: [m, h],
  },
  minaminoChildSupport: {
    id: 'minamino-kodomo',
    name: 'みなみ野市 こども家庭センター',
    domain: 'CHILD_DV',
    municipalityCode: m,
    kind: '要保護児童対策地域協議会 調整機関',
  },
  midoriDvCentre: {
    id: 'midori-dv-center',
    name: 'みどり県 配偶者暴力相談支援センター',
    domain: 'CHILD_DV',
    municipalityCode: m,
    kind: '配偶者暴力相談支援センター',
  },
  helloWorkMinamino: {
    id: 'hellowork-minamino',
    name: 'ハローワークみなみ野',
    domain: 'EMPLOYMENT',
    municipalityCode: m,
    kind: '公共職業安定所',
    serves: [m, h],
  },
  minaminoSilver: {
    id: 'minamino-silver',
    name: 'みなみ野市シルバー人材センター',
    domain: 'SENIORS_WORK',
    municipalityCode: m,
    kind: 'シルバー人材センター',
  },
  minaminoEnvironment: {
    id: 'minamino-kankyo',
    name: 'みなみ野市 環境政策課 地域循環共生圏推進係',
    domain: 'ENVIRONMENT',
    municipalityCode: m,
    kind: '環境部局',
  },
  higashiyamaWelfare: {
    id: 'higashiyama-welfare',
    name: 'ひがし山町 福祉課',
    domain: 'WELFARE',
    municipalityCode: h,
    kind: '重層的支援体制整備事業 所管課',
  },
  higashiyamaDv: {
    id: 'higashiyama-dv',
    name: 'ひがし山町 女性・DV相談窓口',
    domain: 'CHILD_DV',
    municipalityCode: h,
    kind: 'DV相談窓口',
  },
} as const satisfies Record<string, DemoAgency>;

/**
 * The demo residents, by the role they play in the notices' examples. Their identities are in the
 * welfare seed; every other domain's seed refers to them by these ids.
 */
export const RESIDENT_KEYS = [
  // 8050 household: a parent in his 80s and his son in his 50s, withdrawn for years.
  'yamada-father',
  'yamada-son',
  // Young carer: a mother with mental illness, her daughter caring for her and the grandmother.
  'sato-mother',
  'sato-daughter',
  'sato-grandmother',
  // DV victim who moved from ひがし山町 with her child.
  'suzuki-mother',
  'suzuki-child',
  // An older job seeker, also a silver-centre member.
  'takahashi',
  // A hikikomori adult enrolled in satoyama firewood work.
  'ito',
  // Double care: child-rearing and her father's dementia at once.
  'tanaka-mother',
  'tanaka-baby',
  'tanaka-grandfather',
  // Unemployment with multiple debts and suicide risk.
  'watanabe',
  // A specified expectant mother (特定妊婦).
  'kobayashi',
  // An isolated older woman in a hoarded house (ごみ屋敷).
  'nakamura',
  // Residents with lighter single-domain contacts, to make lists and dashboards realistic.
  'kato',
  'yoshida',
  'yamaguchi',
  'matsumoto',
  'inoue',
  'kimura',
  'hayashi',
  'shimizu',
  'yamazaki',
  'mori',
  'abe',
  'ikeda',
  'hashimoto',
  'ishikawa',
  'ogawa',
] as const;

export type ResidentKey = (typeof RESIDENT_KEYS)[number];

const RESIDENTS: ReadonlySet<string> = new Set(RESIDENT_KEYS);

/** The id of a demo resident; a key that names none (a typo in a test) is an error, not an id of no one. */
export function residentId(key: ResidentKey): string {
  if (!RESIDENTS.has(key)) {
    throw new TypeError(`No demo resident "${String(key)}"; the demo residents are ${RESIDENT_KEYS.join(', ')}`);
  }
  return demoId(`person:${key}`);
}

/**
 * The demo residents' dates of birth, as the welfare system and the hub's register both hold them: the
 * register's tells a child from an adult (a guardian's consent, a child council's subjects).
 */
const BIRTH_DATES = {
  'yamada-father': '1942-05-14',
  'yamada-son': '1973-09-02',
  'sato-mother': '1981-03-21',
  'sato-daughter': '2010-07-30',
  'sato-grandmother': '1948-01-08',
  'suzuki-mother': '1992-11-11',
  'suzuki-child': '2020-04-03',
  takahashi: '1959-02-17',
  ito: '1988-06-25',
  'tanaka-mother': '1984-08-19',
  'tanaka-baby': '2025-12-01',
  'tanaka-grandfather': '1950-10-10',
  watanabe: '1978-12-05',
  kobayashi: '2007-03-03',
  nakamura: '1944-04-20',
  kato: '1966-01-30',
  yoshida: '1951-05-05',
  yamaguchi: '1995-09-09',
  matsumoto: '1970-02-14',
  inoue: '1955-06-06',
  kimura: '2001-12-24',
  hayashi: '1962-08-08',
  shimizu: '1987-10-01',
  yamazaki: '1947-03-15',
  mori: '1979-07-07',
  abe: '1990-11-20',
  ikeda: '1940-09-23',
  hashimoto: '2012-02-02',
  ishikawa: '1968-04-12',
  ogawa: '1999-05-28',
} as const satisfies Record<ResidentKey, string>;

export function residentBirthDate(key: ResidentKey): string {
  return BIRTH_DATES[key];
}

/**
 * The municipality a demo resident is registered in: みなみ野市 for all of them (the suzuki household
 * moved there from ひがし山町). Every seed records its records there, as the gateway would sign it.
 */
export function residentMunicipality(key: ResidentKey): string {
  void key;
  return MUNICIPALITIES.minamino.code;
}

/**
 * When the suzuki household's support was handed over from ひがし山町 to みなみ野市 (DOMAIN.md §4.4): the
 * mother's DV case there opens then, and the hub's register has her moved by a DV transfer from then on.
 */
export const DEMO_DV_HANDOVER_AT = '2026-06-08T10:00:00+09:00';
