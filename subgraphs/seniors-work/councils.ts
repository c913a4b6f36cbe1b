// The councils of 生涯現役促進地域連携事業, as the notice of 2021-03-29 (別添6, 別添資料) lists them: every
// implementing body of both courses, with the area it covers and its period. Public data, seeded as it is.

export type LifelongCourse = 'PROMOTION' | 'COLLABORATION';

export interface LifelongCouncilEntry {
  /** Stable key: the list (promotion, promotion-ended, collaboration) and the body's number in it. */
  readonly key: string;
  /** PROMOTION: 連携推進コース; COLLABORATION: 地域協働コース. */
  readonly course: LifelongCourse;
  /** 都道府県コード (JIS X 0401), for ordering by prefecture. */
  readonly prefectureCode: string;
  readonly prefecture: string;
  /** null where the body covers the whole prefecture. */
  readonly municipality: string | null;
  readonly organisation: string;
  /** First day of the starting month (平成30年 = 2018, 令和元年 = 2019). */
  readonly periodStart: string;
  /** Last day of the ending month. */
  readonly periodEnd: string;
}

// Names split across lines in the source text are joined (e.g. いちき串木野市, …推進協議会); a space the
// source puts after a legal form (一般財団法人 富山…) is kept as written.
export const LIFELONG_COUNCILS: readonly LifelongCouncilEntry[] = [
  // 連携推進コースの実施団体①② (一覧の番号 1–47)
  { key: 'promotion-1', course: 'PROMOTION', prefectureCode: '01', prefecture: '北海道', municipality: '帯広市', organisation: '帯広地域雇用創出促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-2', course: 'PROMOTION', prefectureCode: '01', prefecture: '北海道', municipality: '鷹栖町', organisation: '鷹栖町社会福祉協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-3', course: 'PROMOTION', prefectureCode: '02', prefecture: '青森県', municipality: '中泊町', organisation: '中泊町生涯現役いきいき活躍プロジェクト協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-4', course: 'PROMOTION', prefectureCode: '02', prefecture: '青森県', municipality: '平内町', organisation: 'ひらない生涯現役促進協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-5', course: 'PROMOTION', prefectureCode: '02', prefecture: '青森県', municipality: 'つがる市', organisation: 'つがる市生涯現役促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-6', course: 'PROMOTION', prefectureCode: '03', prefecture: '岩手県', municipality: '陸前高田市', organisation: '陸前高田市生涯現役促進地域連携協議会', periodStart: '2019-10-01', periodEnd: '2022-03-31' },
  { key: 'promotion-7', course: 'PROMOTION', prefectureCode: '04', prefecture: '宮城県', municipality: '仙台市', organisation: '仙台市生涯現役促進協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-8', course: 'PROMOTION', prefectureCode: '05', prefecture: '秋田県', municipality: null, organisation: '公益社団法人秋田県シルバー人材センター連合会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-9', course: 'PROMOTION', prefectureCode: '05', prefecture: '秋田県', municipality: '横手市', organisation: '横手市生涯現役促進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-10', course: 'PROMOTION', prefectureCode: '08', prefecture: '茨城県', municipality: '取手市', organisation: '取手市生涯現役促進地域連携事業推進協議会', periodStart: '2018-10-01', periodEnd: '2021-03-31' },
  { key: 'promotion-11', course: 'PROMOTION', prefectureCode: '10', prefecture: '群馬県', municipality: null, organisation: '赤城山プロジェクト協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-12', course: 'PROMOTION', prefectureCode: '11', prefecture: '埼玉県', municipality: '和光市', organisation: '和光市生涯現役促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-13', course: 'PROMOTION', prefectureCode: '11', prefecture: '埼玉県', municipality: '秩父市', organisation: 'ちちぶ雇用活性化協議会', periodStart: '2020-10-01', periodEnd: '2023-03-31' },
  { key: 'promotion-14', course: 'PROMOTION', prefectureCode: '13', prefecture: '東京都', municipality: '西東京市', organisation: '西東京市生涯現役応援協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-15', course: 'PROMOTION', prefectureCode: '14', prefecture: '神奈川県', municipality: '小田原市', organisation: '小田原市生涯現役推進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-16', course: 'PROMOTION', prefectureCode: '15', prefecture: '新潟県', municipality: null, organisation: '公益社団法人新潟県シルバー人材センター連合会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-17', course: 'PROMOTION', prefectureCode: '15', prefecture: '新潟県', municipality: '見附市', organisation: 'みつけ生涯現役促進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-18', course: 'PROMOTION', prefectureCode: '18', prefecture: '福井県', municipality: null, organisation: '福井県生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-19', course: 'PROMOTION', prefectureCode: '20', prefecture: '長野県', municipality: '大町市', organisation: '大町市生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-20', course: 'PROMOTION', prefectureCode: '20', prefecture: '長野県', municipality: '松本市', organisation: '松本市生涯現役促進協議会', periodStart: '2019-10-01', periodEnd: '2022-03-31' },
  { key: 'promotion-21', course: 'PROMOTION', prefectureCode: '20', prefecture: '長野県', municipality: '長野市', organisation: '長野市生涯現役促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-22', course: 'PROMOTION', prefectureCode: '21', prefecture: '岐阜県', municipality: '各務原市', organisation: '各務原市生涯現役促進協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-23', course: 'PROMOTION', prefectureCode: '21', prefecture: '岐阜県', municipality: null, organisation: '公益社団法人岐阜県シルバー人材センター連合会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-24', course: 'PROMOTION', prefectureCode: '22', prefecture: '静岡県', municipality: '静岡市', organisation: '静岡市生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-25', course: 'PROMOTION', prefectureCode: '23', prefecture: '愛知県', municipality: '犬山市', organisation: '犬山市生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-26', course: 'PROMOTION', prefectureCode: '23', prefecture: '愛知県', municipality: '新城市', organisation: '新城市生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-27', course: 'PROMOTION', prefectureCode: '23', prefecture: '愛知県', municipality: '幸田町', organisation: '幸田町シニア・シルバー世代サポート推進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-28', course: 'PROMOTION', prefectureCode: '24', prefecture: '三重県', municipality: null, organisation: '三重県生涯現役促進地域連携協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-29', course: 'PROMOTION', prefectureCode: '24', prefecture: '三重県', municipality: '玉城町', organisation: '玉城町生涯現役促進協議会', periodStart: '2018-10-01', periodEnd: '2021-03-31' },
  { key: 'promotion-30', course: 'PROMOTION', prefectureCode: '25', prefecture: '滋賀県', municipality: null, organisation: '滋賀県生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-31', course: 'PROMOTION', prefectureCode: '28', prefecture: '兵庫県', municipality: null, organisation: '一般財団法人兵庫県雇用開発協会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-32', course: 'PROMOTION', prefectureCode: '30', prefecture: '和歌山県', municipality: '新宮市', organisation: '新宮市生涯現役促進地域連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-33', course: 'PROMOTION', prefectureCode: '32', prefecture: '島根県', municipality: '出雲市', organisation: '出雲市生涯現役促進協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-34', course: 'PROMOTION', prefectureCode: '33', prefecture: '岡山県', municipality: null, organisation: '岡山県生涯現役促進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-35', course: 'PROMOTION', prefectureCode: '33', prefecture: '岡山県', municipality: '瀬戸内市', organisation: '瀬戸内市生涯現役促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-36', course: 'PROMOTION', prefectureCode: '34', prefecture: '広島県', municipality: '福山市', organisation: '福山市生涯現役促進地域連携協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-37', course: 'PROMOTION', prefectureCode: '37', prefecture: '香川県', municipality: null, organisation: '香川県生涯現役促進地域連携事業推進協議会', periodStart: '2019-10-01', periodEnd: '2022-03-31' },
  { key: 'promotion-38', course: 'PROMOTION', prefectureCode: '38', prefecture: '愛媛県', municipality: null, organisation: '愛媛県生涯現役促進地域連携事業推進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-39', course: 'PROMOTION', prefectureCode: '39', prefecture: '高知県', municipality: null, organisation: '高知県生涯現役促進地域連携協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-40', course: 'PROMOTION', prefectureCode: '41', prefecture: '佐賀県', municipality: null, organisation: '佐賀県シニアはたらきたいけん推進協議会', periodStart: '2019-10-01', periodEnd: '2022-03-31' },
  { key: 'promotion-41', course: 'PROMOTION', prefectureCode: '41', prefecture: '佐賀県', municipality: '基山町', organisation: '基山町生涯現役促進地域連携協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-42', course: 'PROMOTION', prefectureCode: '43', prefecture: '熊本県', municipality: null, organisation: '熊本県生涯現役促進地域連携協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-43', course: 'PROMOTION', prefectureCode: '46', prefecture: '鹿児島県', municipality: null, organisation: '鹿児島県アクティブシニア活躍推進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-44', course: 'PROMOTION', prefectureCode: '46', prefecture: '鹿児島県', municipality: 'いちき串木野市', organisation: 'いちき串木野市生涯現役促進協議会', periodStart: '2020-05-01', periodEnd: '2023-03-31' },
  { key: 'promotion-45', course: 'PROMOTION', prefectureCode: '47', prefecture: '沖縄県', municipality: '宮古島市', organisation: '宮古島市生涯現役促進協議会', periodStart: '2018-07-01', periodEnd: '2021-03-31' },
  { key: 'promotion-46', course: 'PROMOTION', prefectureCode: '47', prefecture: '沖縄県', municipality: '浦添市', organisation: '浦添市グッジョブ連携協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  { key: 'promotion-47', course: 'PROMOTION', prefectureCode: '47', prefecture: '沖縄県', municipality: '南城市', organisation: '南城市生涯現役促進協議会', periodStart: '2019-05-01', periodEnd: '2022-03-31' },
  // 連携推進コースの実施期間終了団体 (一覧の番号 1–29)
  { key: 'promotion-ended-1', course: 'PROMOTION', prefectureCode: '01', prefecture: '北海道', municipality: null, organisation: '社会福祉法人北海道社会福祉協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-2', course: 'PROMOTION', prefectureCode: '03', prefecture: '岩手県', municipality: '遠野市', organisation: '遠野市生涯現役いきいき促進協議会', periodStart: '2017-11-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-3', course: 'PROMOTION', prefectureCode: '04', prefecture: '宮城県', municipality: '東松島市', organisation: '東松島市生涯現役促進地域連携事業推進協議会', periodStart: '2017-11-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-4', course: 'PROMOTION', prefectureCode: '05', prefecture: '秋田県', municipality: '大館市', organisation: '大館市高齢者活躍支援協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-5', course: 'PROMOTION', prefectureCode: '06', prefecture: '山形県', municipality: null, organisation: 'やまがた生涯現役促進地域連携事業協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-6', course: 'PROMOTION', prefectureCode: '06', prefecture: '山形県', municipality: '酒田市', organisation: '酒田市シニア雇用創造協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-7', course: 'PROMOTION', prefectureCode: '09', prefecture: '栃木県', municipality: '栃木市', organisation: '栃木市生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-8', course: 'PROMOTION', prefectureCode: '12', prefecture: '千葉県', municipality: '柏市', organisation: '柏市生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-9', course: 'PROMOTION', prefectureCode: '14', prefecture: '神奈川県', municipality: null, organisation: '神奈川県生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-10', course: 'PROMOTION', prefectureCode: '14', prefecture: '神奈川県', municipality: '鎌倉市', organisation: '生涯現役促進地域連携鎌倉協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-11', course: 'PROMOTION', prefectureCode: '16', prefecture: '富山県', municipality: null, organisation: '一般財団法人 富山勤労総合福祉センター', periodStart: '2017-08-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-12', course: 'PROMOTION', prefectureCode: '17', prefecture: '石川県', municipality: null, organisation: '石川県人材確保・定住推進機構', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-13', course: 'PROMOTION', prefectureCode: '18', prefecture: '福井県', municipality: '若狭町', organisation: '若狭町生涯現役促進地域連携協議会', periodStart: '2017-11-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-14', course: 'PROMOTION', prefectureCode: '19', prefecture: '山梨県', municipality: null, organisation: 'やまなしシニア世代就労推進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-15', course: 'PROMOTION', prefectureCode: '22', prefecture: '静岡県', municipality: '袋井市', organisation: 'ふくろい生涯現役促進地域連携協議会', periodStart: '2017-08-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-16', course: 'PROMOTION', prefectureCode: '23', prefecture: '愛知県', municipality: null, organisation: '愛知県労働協会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-17', course: 'PROMOTION', prefectureCode: '26', prefecture: '京都府', municipality: null, organisation: '京都府元気シニア活躍協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-18', course: 'PROMOTION', prefectureCode: '27', prefecture: '大阪府', municipality: null, organisation: '大阪府高年齢者就業機会確保地域連携協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-19', course: 'PROMOTION', prefectureCode: '27', prefecture: '大阪府', municipality: '豊中市', organisation: '豊中市生涯現役促進地域連携事業推進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-20', course: 'PROMOTION', prefectureCode: '29', prefecture: '奈良県', municipality: '三郷町', organisation: '三郷町生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-21', course: 'PROMOTION', prefectureCode: '31', prefecture: '鳥取県', municipality: '米子市', organisation: '米子市生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-22', course: 'PROMOTION', prefectureCode: '33', prefecture: '岡山県', municipality: '総社市', organisation: '総社市生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-23', course: 'PROMOTION', prefectureCode: '33', prefecture: '岡山県', municipality: '津山市', organisation: '津山市生涯現役促進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-24', course: 'PROMOTION', prefectureCode: '36', prefecture: '徳島県', municipality: null, organisation: '徳島県生涯現役促進地域連携事業推進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-25', course: 'PROMOTION', prefectureCode: '38', prefecture: '愛媛県', municipality: '松山市', organisation: '松山市シルバー人材センター', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-26', course: 'PROMOTION', prefectureCode: '40', prefecture: '福岡県', municipality: null, organisation: '公益社団法人福岡県雇用対策協会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-27', course: 'PROMOTION', prefectureCode: '42', prefecture: '長崎県', municipality: null, organisation: '長崎県生涯現役促進地域連携協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-28', course: 'PROMOTION', prefectureCode: '44', prefecture: '大分県', municipality: null, organisation: '大分県シニア雇用推進協議会', periodStart: '2017-04-01', periodEnd: '2020-03-31' },
  { key: 'promotion-ended-29', course: 'PROMOTION', prefectureCode: '45', prefecture: '宮崎県', municipality: null, organisation: 'みやざきシニア活躍推進協議会', periodStart: '2017-08-01', periodEnd: '2020-03-31' },
  // 地域協働コースの実施団体 (一覧の番号 1–19)
  { key: 'collaboration-1', course: 'COLLABORATION', prefectureCode: '05', prefecture: '秋田県', municipality: '大館市', organisation: '大館市高齢者活躍支援協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-2', course: 'COLLABORATION', prefectureCode: '06', prefecture: '山形県', municipality: '山形市', organisation: 'やまがた生涯現役促進地域連携事業協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-3', course: 'COLLABORATION', prefectureCode: '12', prefecture: '千葉県', municipality: '柏市', organisation: '柏市生涯現役促進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-4', course: 'COLLABORATION', prefectureCode: '14', prefecture: '神奈川県', municipality: '鎌倉市', organisation: '生涯現役促進地域連携鎌倉協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-5', course: 'COLLABORATION', prefectureCode: '16', prefecture: '富山県', municipality: null, organisation: '富山県人材活躍推進センター', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-6', course: 'COLLABORATION', prefectureCode: '17', prefecture: '石川県', municipality: null, organisation: '石川県人材確保・定住推進機構', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-7', course: 'COLLABORATION', prefectureCode: '19', prefecture: '山梨県', municipality: null, organisation: 'やまなしシニア世代就労推進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-8', course: 'COLLABORATION', prefectureCode: '23', prefecture: '愛知県', municipality: null, organisation: '公益財団法人 愛知県労働協会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-9', course: 'COLLABORATION', prefectureCode: '26', prefecture: '京都府', municipality: null, organisation: '京都府元気シニア活躍協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-10', course: 'COLLABORATION', prefectureCode: '27', prefecture: '大阪府', municipality: null, organisation: '大阪府高年齢者就業機会確保地域連携協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-11', course: 'COLLABORATION', prefectureCode: '27', prefecture: '大阪府', municipality: '豊中市', organisation: '豊中市生涯現役促進地域連携事業推進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-12', course: 'COLLABORATION', prefectureCode: '31', prefecture: '鳥取県', municipality: '米子市', organisation: '米子市生涯現役促進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-13', course: 'COLLABORATION', prefectureCode: '33', prefecture: '岡山県', municipality: '総社市', organisation: '総社市生涯現役促進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-14', course: 'COLLABORATION', prefectureCode: '36', prefecture: '徳島県', municipality: null, organisation: '徳島県生涯現役促進地域連携事業推進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-15', course: 'COLLABORATION', prefectureCode: '38', prefecture: '愛媛県', municipality: '松山市', organisation: '公益社団法人松山市シルバー人材センター', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-16', course: 'COLLABORATION', prefectureCode: '40', prefecture: '福岡県', municipality: null, organisation: '公益社団法人福岡県雇用対策協会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-17', course: 'COLLABORATION', prefectureCode: '42', prefecture: '長崎県', municipality: null, organisation: '長崎県生涯現役促進地域連携協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-18', course: 'COLLABORATION', prefectureCode: '44', prefecture: '大分県', municipality: null, organisation: '大分県シニア雇用推進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
  { key: 'collaboration-19', course: 'COLLABORATION', prefectureCode: '45', prefecture: '宮崎県', municipality: null, organisation: 'みやざきシニア活躍推進協議会', periodStart: '2020-04-01', periodEnd: '2023-03-31' },
];
