// The words the pages show for the schema's values, Japanese as in the schema's descriptions. A value the
// pages do not know is shown as it is, so a new enum value never hides a row.

const LABELS: Record<string, Record<string, string>> = {
  Domain: {
    WELFARE: '福祉',
    SUICIDE_PREVENTION: '自殺対策',
    CHILD_DV: '児童福祉・DV',
    EMPLOYMENT: '就労（ハローワーク）',
    SENIORS_WORK: '高齢者の就業',
    ENVIRONMENT: '環境（地域循環共生圏）',
  },
  DataCategory: {
    IDENTITY: '本人確認情報',
    CONTACT: '連絡先・住所地',
    WELFARE_CASE: '福祉の相談・支援',
    HIKIKOMORI: 'ひきこもり支援',
    MENTAL_HEALTH: 'こころの健康',
    CHILD_WELFARE: '児童福祉',
    DV: '配偶者からの暴力',
    DV_LOCATION: '保護された所在情報',
    EMPLOYMENT: '就労',
    SENIOR_WORK: 'シルバー人材センターでの就業',
    ENVIRONMENT_PARTICIPATION: '環境活動への参加',
  },
  LegalBasis: {
    OWN_DOMAIN: '所管業務・当事者である記録',
    CONSENT: '本人同意',
    SUPPORT_MEETING: '支援会議（社会福祉法106条の6）',
    CHILD_COUNCIL: '要保護児童対策地域協議会（児童福祉法25条の2・25条の3）',
    EMERGENCY: '緊急時アクセス',
    AUDIT: '監査（緊急時アクセスの検証）',
  },
  DenialReason: {
    NO_LEGAL_BASIS: '法的根拠なし',
    CONSENT_REVOKED: '同意は撤回済み',
    CONSENT_EXPIRED: '同意の期限切れ',
    CONSENT_NOT_CONFIRMED: '保有機関の確認待ち',
    NOT_A_MEMBER: '会議の構成員でない',
    CONFIDENTIALITY_NOT_ACKNOWLEDGED: '守秘義務の確認がない',
    CATEGORY_NOT_SHARED: '会議で共有されない区分',
    MEETING_NOT_ACTIVE: '会議が開催中でない',
    PROTECTED_LOCATION: '保護された所在情報',
    AGENCY_DEACTIVATED: '利用停止中の機関',
  },
  caseStatus: {
    INTAKE: '受付',
    ASSESSMENT: 'アセスメント',
    PLANNING: 'プラン作成',
    ACTIVE: '支援実施',
    MONITORING: 'モニタリング',
    CLOSED: '終結',
    REPLAN: '再プラン',
    SUSPENDED: '中断',
  },
  caseIssue: {
    LIVING: '生活',
    ECONOMIC: '経済・生活困窮',
    DEBT: '多重債務',
    CARE: '介護',
    CHILD_REARING: '子育て',
    EMPLOYMENT: '就労',
    ISOLATION: '社会的孤立',
    HIKIKOMORI: 'ひきこもり',
    MENTAL_HEALTH: 'こころの健康',
    HOUSING: '住まい',
    ABUSE_DV: '虐待・DV',
    DISABILITY: '障害',
    HOUSEWORK: '家事',
    EDUCATION: '子どもの教育・進学',
    RELATIONSHIPS: '人間関係',
    NEIGHBOUR_TROUBLE: '近隣トラブル',
  },
  reportKind: {
    PHYSICAL: '身体的虐待',
    NEGLECT: 'ネグレクト',
    PSYCHOLOGICAL: '心理的虐待',
    SEXUAL: '性的虐待',
    DV_DANGER: '配偶者からの暴力による危険',
  },
  workStyle: {
    FULL_TIME: 'フルタイム',
    PART_TIME: 'パートタイム',
    SHORT_HOURS: '短時間就労',
    SHORT_TERM: '短期間就労',
    INTERMEDIATE_WORK: '中間的就労',
  },
  projectKind: {
    SATOYAMA_FIREWOOD: '里山保全・薪割り',
    FIRE_STARTER: '着火材づくり',
    PLASTIC_UPCYCLING: '廃プラスチックの再生',
    FOOD_LOSS_KITCHEN: 'フードロス食材の食堂',
    LOCAL_PRODUCE: '地元野菜の活用',
    BIOMASS: 'バイオマスの活用',
  },
  meetingKind: {
    SUPPORT_MEETING: '支援会議',
    MULTILAYER_MEETING: '重層的支援会議',
    CHILD_COUNCIL: '要保護児童対策地域協議会',
  },
  setting: { OUTDOOR: '屋外', INDOOR: '屋内' },
  EmergencyReviewOutcome: { JUSTIFIED: '正当', UNJUSTIFIED: '不当' },
  AccessLogProblem: {
    CHAIN_BROKEN: '鎖の不一致',
    TAIL_CUT: '末尾の削除',
    CHECKPOINT_FORGED: '偽造チェックポイント',
  },
};

/** The dimensions' own names: what a table's rows and columns count by. */
const DIMENSIONS: Record<string, string> = {
  caseStatus: '事例の状況',
  caseIssue: '課題',
  fromDomain: '依頼元の分野',
  toDomain: '依頼先の分野',
  meetingKind: '会議の種別',
  month: '月',
  reportKind: '通告・通報の種別',
  workStyle: '働き方',
  projectKind: 'プロジェクトの種別',
  setting: '就業の場所',
};

/** The enum a dimension's keys belong to, where its name differs from the dimension. */
const DIMENSION_ENUM: Record<string, string> = { fromDomain: 'Domain', toDomain: 'Domain' };

/** A log entry's decision as the pages show it: 閲覧 or 拒否, and the basis or the reason. */
export function decisionLabels(entry: { allowed: boolean; basis?: string | null; reason?: string | null }): {
  outcome: string;
  why: string;
} {
  return {
    outcome: entry.allowed ? '閲覧' : '拒否',
    why: entry.allowed ? label('LegalBasis', entry.basis ?? '') : label('DenialReason', entry.reason ?? ''),
  };
}

export function label(kind: string, value: string): string {
  return LABELS[kind]?.[value] ?? value;
}

export function dimensionName(dimension: string): string {
  return DIMENSIONS[dimension] ?? dimension;
}

/** A row or column key as shown: a month as 2026年4月, an enum value by its Japanese name. */
export function keyLabel(dimension: string, key: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (dimension === 'month' && month) return `${month[1]}年${Number(month[2])}月`;
  return label(DIMENSION_ENUM[dimension] ?? dimension, key);
}

const DATE_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const DATE = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long' });

export const formatDateTime = (iso: string | Date): string => DATE_TIME.format(new Date(iso));
export const formatDate = (iso: string | Date): string => DATE.format(new Date(iso));

/** Today in Japan (JST), as YYYY-MM-DD: the day a date field's "today" is, wherever the browser's clock is set. */
export const todayInJapan = (): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/** The month (JST) an instant falls in, as YYYY-MM. */
export function monthOf(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}`;
}
