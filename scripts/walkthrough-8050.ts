// The 8050 walk-through: one household from discovery to closure, across six agencies of four domains,
// every step a real request through the gateway under the same authorization and audit as any other.
// `npm run demo` prints it; test/walkthrough-8050.e2e.test.ts asserts it.
//
// 木下 茂 (84) is cared for by the 地域包括支援センター; his son 誠 (53) has not left the house in years
// (8050問題, DOMAIN.md §3). The centre finds the son on a care visit and refers him to the multi-agency
// collaborator, who takes the case through a support meeting, outreach, a joint suicide-risk screening
// with the mental-health window, a support plan, participation in an eco project, and closure.

import { AGENCIES } from '@hub/platform';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** Sends one operation to the gateway as an agency. */
export type Call = (agency: string, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResult>;

export interface Step {
  readonly n: number;
  readonly title: string;
  readonly agency: string;
  readonly outcome: string;
}

/** What the walk-through leaves behind, for a test to check against the systems themselves. */
export interface Walkthrough {
  readonly fatherId: string;
  readonly sonId: string;
  readonly meetingId: string;
  readonly referralId: string;
  readonly caseId: string;
  readonly steps: readonly Step[];
  /** The refusals the walk-through met on purpose, as (step, reason). */
  readonly refusals: readonly { step: number; reason: string }[];
}

const A = {
  houkatsu: AGENCIES.minaminoHoukatsu.id,
  collaborator: AGENCIES.minaminoCollaborator.id,
  welfare: AGENCIES.minaminoWelfare.id,
  hikikomori: AGENCIES.minaminoHikikomori.id,
  kokoro: AGENCIES.minaminoKokoro.id,
  environment: AGENCIES.minaminoEnvironment.id,
  helloWork: AGENCIES.helloWorkMinamino.id,
};

const isoIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export async function walk8050(call: Call, report: (step: Step) => void = () => {}): Promise<Walkthrough> {
  const steps: Step[] = [];
  const refusals: { step: number; reason: string }[] = [];
  const step = (title: string, agency: string, outcome: string) => {
    const s = { n: steps.length + 1, title, agency, outcome };
    steps.push(s);
    report(s);
  };

  /** Runs an operation that must succeed; any error stops the walk-through with its code. */
  async function ok<T = Record<string, unknown>>(agency: string, query: string, variables?: Record<string, unknown>) {
    const result = await call(agency, query, variables);
    if (result.errors?.length) {
      const codes = result.errors.map(
        (e) => `${String(e.extensions?.['code'])}/${String(e.extensions?.['reason'] ?? '')}`,
      );
      throw new Error(`step ${steps.length + 1} (${agency}) failed: ${codes.join(', ')}`);
    }
    return result.data as T;
  }

  /** Runs an operation that the rules must refuse, and returns the reason given. */
  async function refused(agency: string, query: string, variables?: Record<string, unknown>): Promise<string> {
    const result = await call(agency, query, variables);
    const reason = result.errors?.[0]?.extensions?.['reason'];
    if (typeof reason !== 'string') throw new Error(`step ${steps.length + 1} (${agency}) was not refused`);
    refusals.push({ step: steps.length + 1, reason });
    return reason;
  }

  // 1. Both residents are known to the welfare system.
  const register = `mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`;
  const common = { address: 'みなみ野市北部地区 緑町3-2', municipalityCode: AGENCIES.minaminoWelfare.municipalityCode };
  const father = await ok<{ registerPerson: { id: string } }>(A.welfare, register, {
    input: { name: '木下 茂', nameKana: 'キノシタ シゲル', birthDate: '1942-04-03', ...common },
  });
  const son = await ok<{ registerPerson: { id: string } }>(A.welfare, register, {
    input: { name: '木下 誠', nameKana: 'キノシタ マコト', birthDate: '1973-09-21', ...common },
  });
  const fatherId = father.registerPerson.id;
  const sonId = son.registerPerson.id;
  step('支援対象者の登録 — father (84) and son (53) registered', A.welfare, 'two residents');

  // 2. Discovery: on a care visit to the father, the 地域包括支援センター learns of the son.
  await ok(A.houkatsu, `mutation ($input: RecordConsultationInput!) { recordConsultation(input: $input) { id } }`, {
    input: {
      personId: sonId,
      channel: 'HOME_VISIT',
      agencyKind: 'ELDERLY',
      summary: '父の介護訪問時、長年自室にこもる息子の存在を把握。父の年金で二人暮らし。',
    },
  });
  step('発見 — consultation recorded on a care visit (包括的相談支援)', A.houkatsu, 'consultation about the son');

  // 3. The municipality convenes a support meeting (Art. 106-6) for the household; every member acknowledges.
  const meeting = await ok<{ conveneMeeting: { id: string } }>(
    A.welfare,
    `mutation ($input: ConveneMeetingInput!) { conveneMeeting(input: $input) { id } }`,
    {
      input: {
        kind: 'SUPPORT_MEETING',
        title: '木下さん世帯 支援会議（8050）',
        subjectPersonIds: [fatherId, sonId],
        sharedCategories: [
          'IDENTITY',
          'CONTACT',
          'WELFARE_CASE',
          'HIKIKOMORI',
          'MENTAL_HEALTH',
          'ENVIRONMENT_PARTICIPATION',
        ],
        startsAt: isoIn(-1 / 24),
        endsAt: isoIn(180),
      },
    },
  );
  const meetingId = meeting.conveneMeeting.id;
  for (const member of [A.collaborator, A.houkatsu, A.hikikomori, A.kokoro, A.environment]) {
    await ok(A.welfare, `mutation ($m: ID!, $a: ID!) { addMeetingMember(meetingId: $m, agencyId: $a) { id } }`, {
      m: meetingId,
      a: member,
    });
    await ok(member, `mutation ($m: ID!) { acknowledgeConfidentiality(meetingId: $m) { id } }`, { m: meetingId });
  }
  step(
    '支援会議 — convened; five member agencies acknowledge confidentiality, the holders of MENTAL_HEALTH and ENVIRONMENT_PARTICIPATION among them (a meeting shares what its members hold)',
    A.welfare,
    'support meeting',
  );

  // 4. つなぎ: the centre refers the son to the collaborator on that meeting; the collaborator accepts.
  const referral = await ok<{ createReferral: { id: string; basis: string } }>(
    A.houkatsu,
    `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id basis } }`,
    {
      input: {
        personId: sonId,
        toAgencyId: A.collaborator,
        categories: ['WELFARE_CASE', 'MENTAL_HEALTH'],
        reason: '8050世帯：息子の長期ひきこもりと父の介護が重なる。息子に気分の落ち込み',
      },
    },
  );
  const referralId = referral.createReferral.id;
  await ok(A.collaborator, `mutation ($id: ID!) { acceptReferral(id: $id, note: "多機関協働で受理") { id } }`, {
    id: referralId,
  });
  step(`つなぎ — referred (basis: ${referral.createReferral.basis}), accepted`, A.houkatsu, 'referral accepted');

  // 5. 事例化: the collaborator opens the case and assesses it.
  const opened = await ok<{ openCase: { id: string } }>(
    A.collaborator,
    `mutation ($input: OpenCaseInput!) { openCase(input: $input) { id } }`,
    { input: { personId: sonId, issues: ['HIKIKOMORI', 'CARE', 'ECONOMIC', 'MENTAL_HEALTH'] } },
  );
  const caseId = opened.openCase.id;
  const advance = (to: string, note: string) =>
    ok(A.collaborator, `mutation ($input: AdvanceCaseInput!) { advanceCase(input: $input) { status } }`, {
      input: { caseId, to, note },
    });
  await advance('ASSESSMENT', '世帯全体のアセスメント');
  step('事例化 — case opened and in assessment (多機関協働)', A.collaborator, 'INTAKE → ASSESSMENT');

  // 6. Outreach: a home visit is refused before trust with the family; letters and a family meeting first.
  const outreach = `mutation ($input: RecordOutreachInput!) { recordOutreach(input: $input) { id relationshipStage } }`;
  const early = await refused(A.hikikomori, outreach, {
    input: { personId: sonId, method: 'HOME_VISIT', relationshipStage: 'PERSON_CONTACT' },
  });
  await ok(A.hikikomori, outreach, {
    input: { personId: sonId, method: 'LETTER', relationshipStage: 'FAMILY_CONTACT', note: '父宛てに手紙' },
  });
  await ok(A.hikikomori, outreach, {
    input: { personId: sonId, method: 'FAMILY_MEETING', relationshipStage: 'FAMILY_TRUST', note: '父と面談を重ねた' },
  });
  await ok(A.hikikomori, outreach, {
    input: { personId: sonId, method: 'HOME_VISIT', relationshipStage: 'PERSON_CONTACT', note: '本人と短時間対面' },
  });
  await ok(
    A.hikikomori,
    `mutation ($input: StartHikikomoriSupportInput!) { startHikikomoriSupport(input: $input) { stage } }`,
    { input: { personId: sonId, withdrawnSince: 2009, note: '家族支援から開始' } },
  );
  await ok(
    A.hikikomori,
    `mutation ($input: RecordPeerSupporterVisitInput!) { recordPeerSupporterVisit(input: $input) { peerSupporterVisits } }`,
    { input: { personId: sonId, note: 'ピアサポーターが訪問' } },
  );
  step(
    `アウトリーチ — home visit refused first (${early}), then letters, family trust, visit, peer supporter`,
    A.hikikomori,
    'relationship built',
  );

  // 7. Joint suicide-risk screening with the mental-health window (別添2 6(1)); HIGH opens a psychiatric referral task.
  const screening = await ok<{ recordJointScreening: { level: string } }>(
    A.collaborator,
    `mutation ($input: RecordJointScreeningInput!) { recordJointScreening(input: $input) { level } }`,
    {
      input: {
        personId: sonId,
        coAssessorAgencyId: A.kokoro,
        level: 'HIGH',
        signs: ['SOCIAL_DISCONNECTION', 'LOSS_OF_ROLE', 'SLEEPLESSNESS'],
        note: '将来への悲観と孤立',
      },
    },
  );
  const seenByMember = await ok<{ person: { latestRiskLevel: string | null } }>(
    A.houkatsu,
    `query ($id: ID!) { person(id: $id) { latestRiskLevel } }`,
    { id: sonId },
  );
  const outsider = await refused(A.helloWork, `query ($id: ID!) { person(id: $id) { latestRiskLevel } }`, {
    id: sonId,
  });
  step(
    `合同スクリーニング — ${screening.recordJointScreening.level}; a meeting member sees ${seenByMember.person.latestRiskLevel}, Hello Work is refused (${outsider})`,
    A.collaborator,
    'psychiatric referral task opened',
  );

  // 7b. The son agrees in writing that Hello Work may see his case and his job-seeker record; the
  // collaborator records it, and Hello Work, the holder of EMPLOYMENT, confirms what it opens.
  const consent = await ok<{ grantConsent: { id: string; awaitingConfirmation: string[] } }>(
    A.collaborator,
    `mutation ($input: GrantConsentInput!) { grantConsent(input: $input) { id awaitingConfirmation } }`,
    {
      input: {
        personId: sonId,
        recipientAgencyIds: [A.helloWork],
        categories: ['WELFARE_CASE', 'EMPLOYMENT'],
        purpose: '短時間就労に向けた支援プランの作成',
        validFrom: isoIn(-1 / 24),
        validUntil: isoIn(180),
        method: 'WRITTEN',
        evidenceRef: 'みなみ野社協-同意書-2026-0815',
      },
    },
  );
  step(
    `本人同意 — recorded by the collaborator; ${consent.grantConsent.awaitingConfirmation.join(', ')} awaits its holder`,
    A.collaborator,
    'written consent',
  );
  await ok(A.helloWork, `mutation ($id: ID!) { confirmConsent(id: $id, categories: [EMPLOYMENT]) { id } }`, {
    id: consent.grantConsent.id,
  });
  step(
    '同意の確認 — Hello Work, the holder of EMPLOYMENT, confirms it: the consent opens it',
    A.helloWork,
    'confirmed',
  );

  // 8. The support plan, with each agency's part, then support begins.
  await advance('PLANNING', '支援会議で方針を確認');
  await ok(
    A.collaborator,
    `mutation ($input: DraftSupportPlanInput!) { draftSupportPlan(input: $input) { version } }`,
    {
      input: {
        caseId,
        goals: ['父の介護負担の軽減', '本人の安心できる居場所と役割', '世帯の家計の安定'],
        roles: [
          { agencyId: A.collaborator, role: '生活・経済面の調整', issues: ['ECONOMIC'] },
          { agencyId: A.kokoro, role: '傾聴とこころの支援', issues: ['MENTAL_HEALTH'] },
          { agencyId: A.hikikomori, role: 'アウトリーチと居場所', issues: ['HIKIKOMORI'] },
          { agencyId: A.houkatsu, role: '父の介護', issues: ['CARE'] },
        ],
        reviewOn: isoIn(90).slice(0, 10),
      },
    },
  );
  await advance('ACTIVE', '支援開始');
  step('支援プラン — four agencies take their parts; support begins', A.collaborator, 'PLANNING → ACTIVE');

  // 9. Participation: wishes recorded, opportunities ranked across three systems, an eco project joined.
  await ok(
    A.collaborator,
    `mutation ($input: RecordParticipationProfileInput!) { recordParticipationProfile(input: $input) { updatedAt } }`,
    {
      input: {
        personId: sonId,
        wishes: ['ENVIRONMENT', 'LIGHT_WORK'],
        maxHoursPerWeek: 8,
        setting: 'OUTDOOR',
        nearArea: '北部',
        notes: '人の少ない屋外作業なら参加できそう',
      },
    },
  );
  const matches = await ok<{
    participationMatches: { matches: { source: string; opportunityId: string; title: string; score: number }[] };
  }>(
    A.collaborator,
    `query ($id: ID!) { participationMatches(personId: $id, first: 5) { matches { source opportunityId title score } } }`,
    { id: sonId },
  );
  const eco = matches.participationMatches.matches.find((m) => m.source === 'ECO_OPPORTUNITY');
  if (!eco) throw new Error('no eco-project opportunity matched');
  await ok(A.environment, `mutation ($input: EnrollInput!) { enroll(input: $input) { id } }`, {
    input: { personId: sonId, opportunityId: eco.opportunityId, asIntermediateWork: false },
  });
  step(
    `参加支援 — ${matches.participationMatches.matches.length} matches; joined「${eco.title}」`,
    A.environment,
    'enrolled',
  );

  // 10. Monitoring, the closing review with everyone who took part, and closure.
  await advance('MONITORING', '3か月後の評価');
  await ok(A.collaborator, `mutation ($input: CloseCaseInput!) { closeCase(input: $input) { status } }`, {
    input: {
      caseId,
      participantAgencyIds: [A.collaborator, A.kokoro, A.hikikomori, A.houkatsu, A.environment],
      reason: '本人が週1回の活動に定着し、父の介護サービスも安定',
    },
  });
  await ok(A.collaborator, `mutation ($id: ID!) { completeReferral(id: $id) { id } }`, { id: referralId });
  await ok(A.welfare, `mutation ($id: ID!) { closeMeeting(id: $id) { id } }`, { id: meetingId });
  step('終結 — closed with five agencies’ evaluation; referral completed; meeting closed', A.collaborator, 'CLOSED');

  // 11. After the meeting closed, sharing has ended: the eco project no longer reads the son's case.
  const after = await refused(A.environment, `query ($id: ID!) { person(id: $id) { cases { status } } }`, {
    id: sonId,
  });
  step(`会議の終了 — sharing ends with it (${after})`, A.environment, 'denied');

  // 12. What the son would be shown on a disclosure request: who saw what about him.
  const log = await ok<{ accessLog: { edges: { node: { agency: { id: string }; allowed: boolean } }[] } }>(
    A.welfare,
    `query ($id: ID!) { accessLog(personId: $id, first: 200) { edges { node { agency { id } allowed } } } }`,
    { id: sonId },
  );
  const agencies = new Set(log.accessLog.edges.map((e) => e.node.agency.id));
  step(`開示 — the access log names ${agencies.size} agencies`, A.welfare, `${log.accessLog.edges.length} entries`);

  return { fatherId, sonId, meetingId, referralId, caseId, steps, refusals };
}
