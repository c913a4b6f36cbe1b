// The 8050 walk-through (scripts/walkthrough-8050.ts, also `npm run demo`): one household from discovery
// to closure across six agencies of four domains, then checked against what each system recorded.

import { describe, expect, it } from 'vitest';
import { AGENCIES } from '@hub/platform';
import { walk8050, type Walkthrough } from '../scripts/walkthrough-8050.js';
import { useTestHub } from './support/hub.js';

const hub = useTestHub();

let walked: Walkthrough;

describe('the 8050 walk-through', () => {
  it('walks from discovery to closure, meeting only the refusals the rules require', async () => {
    walked = await walk8050((agency, query, variables) => hub.query({ agency }, query, variables));
    expect(walked.steps.map((s) => s.title.split(' — ')[0])).toEqual([
      '支援対象者の登録',
      '発見',
      '支援会議',
      'つなぎ',
      '事例化',
      'アウトリーチ',
      '合同スクリーニング',
      '本人同意',
      '同意の確認',
      '支援プラン',
      '参加支援',
      '終結',
      '会議の終了',
      '開示',
    ]);
    expect(walked.refusals.map((r) => r.reason)).toEqual([
      'HOME_VISIT_BEFORE_FAMILY_TRUST',
      'NO_LEGAL_BASIS',
      'MEETING_NOT_ACTIVE',
    ]);
    expect(new Set(walked.steps.map((s) => s.agency)).size).toBeGreaterThanOrEqual(4);
  });

  it('the case ends CLOSED, having passed through every stage, with the closing participants recorded', async () => {
    const result = await hub.query<{
      person: { cases: { id: string; status: string; events: { to: string }[] }[] };
    }>(
      { agency: AGENCIES.minaminoCollaborator.id },
      `query ($id: ID!) { person(id: $id) { cases { id status events { to } } } }`,
      {
        id: walked.sonId,
      },
    );
    expect(result.errors).toBeUndefined();
    const kase = result.data!.person.cases.find((c) => c.id === walked.caseId)!;
    expect(kase.status).toBe('CLOSED');
    expect(kase.events.map((e) => e.to)).toEqual(
      expect.arrayContaining(['ASSESSMENT', 'PLANNING', 'ACTIVE', 'MONITORING', 'CLOSED']),
    );
  });

  it('the suicide-prevention window holds the screening and the psychiatric referral task it opened', async () => {
    const result = await hub.query<{
      person: { latestRiskLevel: string; psychiatricReferrals: { status: string }[] };
    }>(
      { agency: AGENCIES.minaminoKokoro.id },
      `query ($id: ID!) { person(id: $id) { latestRiskLevel psychiatricReferrals { status } } }`,
      {
        id: walked.sonId,
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.person.latestRiskLevel).toBe('HIGH');
    expect(result.data!.person.psychiatricReferrals.length).toBe(1);
  });

  it('the eco project holds the enrolment, and the referral shows COMPLETED to the agency that sent it', async () => {
    const enrolled = await hub.query<{ person: { enrollments: { status: string }[] } }>(
      { agency: AGENCIES.minaminoEnvironment.id },
      `query ($id: ID!) { person(id: $id) { enrollments { status } } }`,
      { id: walked.sonId },
    );
    expect(enrolled.data!.person.enrollments.map((e) => e.status)).toEqual(['ACTIVE']);
    const referral = await hub.query<{ referral: { status: string } }>(
      { agency: AGENCIES.minaminoHoukatsu.id },
      `query ($id: ID!) { referral(id: $id) { status } }`,
      { id: walked.referralId },
    );
    expect(referral.data!.referral.status).toBe('COMPLETED');
  });

  it('the son’s access log names every agency that read about him, and the chain verifies', async () => {
    const log = await hub.query<{ accessLog: { edges: { node: { agency: { id: string } } }[] } }>(
      { agency: AGENCIES.minaminoWelfare.id },
      `query ($id: ID!) { accessLog(personId: $id, first: 200) { edges { node { agency { id } } } } }`,
      { id: walked.sonId },
    );
    const agencies = new Set(log.data!.accessLog.edges.map((e) => e.node.agency.id));
    for (const agency of [
      AGENCIES.minaminoHoukatsu.id,
      AGENCIES.helloWorkMinamino.id,
      AGENCIES.minaminoEnvironment.id,
    ]) {
      expect(agencies).toContain(agency);
    }
    const authorization = `Bearer ${await hub.token(AGENCIES.minaminoWelfare.id, { roles: ['auditor'] })}`;
    const verified = await hub.query<{ verifyAccessLog: { intact: boolean } }>(
      { authorization },
      `{ verifyAccessLog { intact } }`,
    );
    expect(verified.data!.verifyAccessLog.intact).toBe(true);
  });
});
