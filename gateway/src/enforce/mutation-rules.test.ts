import { describe, expect, it } from 'vitest';
import type { DataCategory } from '@hub/platform';
import type { Decision } from '../policy/decide.js';
import {
  acceptedBases,
  maySend,
  MUTATION_RULES,
  mutationRule,
  namedAgencyRefusal,
  preconditionRefusal,
  type RegisteredAgency,
} from './mutation-rules.js';

const register = new Map<string, RegisteredAgency>(
  [
    { id: 'minamino-collaborator', domain: 'WELFARE', municipalityCode: '990001' },
    { id: 'minamino-kokoro', domain: 'SUICIDE_PREVENTION', municipalityCode: '990001' },
    { id: 'midori-dv-center', domain: 'CHILD_DV', municipalityCode: '990001' },
    { id: 'minamino-kodomo', domain: 'CHILD_DV', municipalityCode: '990001' },
    { id: 'higashiyama-dv', domain: 'CHILD_DV', municipalityCode: '990002' },
    { id: 'higashiyama-welfare', domain: 'WELFARE', municipalityCode: '990002' },
    { id: 'hellowork-minamino', domain: 'EMPLOYMENT', municipalityCode: '990001' },
  ].map((a) => [a.id, a as RegisteredAgency]),
);
const agency = (id: string) => register.get(id)!;

describe('who may send a mutation', () => {
  it('an agency of the subgraph’s own domain may send any of its mutations', () => {
    expect(maySend(undefined, 'EMPLOYMENT', 'EMPLOYMENT')).toBe(true);
    expect(maySend(mutationRule('transferDvCase'), 'CHILD_DV', 'CHILD_DV')).toBe(true);
  });

  it('a mutation without a rule is refused to every other domain', () => {
    expect(maySend(mutationRule('recordRiskAssessment'), 'WELFARE', 'SUICIDE_PREVENTION')).toBe(false);
  });

  it('an urgent report may be filed by any domain (a legal duty)', () => {
    for (const domain of ['WELFARE', 'EMPLOYMENT', 'SENIORS_WORK', 'ENVIRONMENT', 'SUICIDE_PREVENTION'] as const)
      expect(maySend(mutationRule('recordAbuseReport'), domain, 'CHILD_DV')).toBe(true);
  });

  it('a joint screening may come from WELFARE only, besides the owner', () => {
    expect(maySend(mutationRule('recordJointScreening'), 'WELFARE', 'SUICIDE_PREVENTION')).toBe(true);
    expect(maySend(mutationRule('recordJointScreening'), 'EMPLOYMENT', 'SUICIDE_PREVENTION')).toBe(false);
  });

  it('a DV transfer comes from the DV domain only', () => {
    expect(maySend(mutationRule('transferDvCase'), 'WELFARE', 'CHILD_DV')).toBe(false);
  });

  it('a rule never opens another subgraph than its owner’s', () => {
    expect(maySend(mutationRule('recordAbuseReport'), 'WELFARE', 'EMPLOYMENT')).toBe(false);
  });

  it('a name of Object.prototype is no rule', () => {
    expect(mutationRule('constructor')).toBeUndefined();
  });

  it('every rule names an answer for other domains and only categories of the contract', () => {
    for (const rule of Object.values(MUTATION_RULES)) {
      expect(['receipt', 'decided']).toContain(rule.answer);
      expect(rule.requires?.categories.length ?? 1).toBeGreaterThan(0);
    }
  });
});

describe('agencies named in the input', () => {
  const screening = MUTATION_RULES['recordJointScreening']!;
  const transfer = MUTATION_RULES['transferDvCase']!;
  const report = MUTATION_RULES['recordAbuseReport']!;
  const collaborator = agency('minamino-collaborator');
  const dvCentre = agency('midori-dv-center');

  it('the co-assessor of a joint screening is a SUICIDE_PREVENTION agency', () => {
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'minamino-kokoro' }, collaborator, register)).toBeNull();
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'hellowork-minamino' }, collaborator, register)).toEqual(
      {
        input: 'coAssessorAgencyId',
        reason: 'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
      },
    );
  });

  it('an agency not in the register is refused like one of another domain', () => {
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'nobody' }, collaborator, register)?.reason).toBe(
      'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
    );
    expect(namedAgencyRefusal(screening, {}, collaborator, register)?.reason).toBe(
      'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
    );
  });

  it('an urgent report goes to a CHILD_DV agency', () => {
    expect(namedAgencyRefusal(report, { receivingAgencyId: 'minamino-kodomo' }, collaborator, register)).toBeNull();
    expect(namedAgencyRefusal(report, { receivingAgencyId: 'minamino-kokoro' }, collaborator, register)?.reason).toBe(
      'RECEIVER_NOT_CHILD_DV',
    );
  });

  it('a DV case moves to a DV or welfare agency of another municipality', () => {
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'higashiyama-dv' }, dvCentre, register)).toBeNull();
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'higashiyama-welfare' }, dvCentre, register)).toBeNull();
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'minamino-kodomo' }, dvCentre, register)?.reason).toBe(
      'DESTINATION_SAME_MUNICIPALITY',
    );
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'hellowork-minamino' }, dvCentre, register)?.reason).toBe(
      'DESTINATION_NOT_DV_SUPPORT',
    );
  });
});

describe('preconditions', () => {
  const transfer = MUTATION_RULES['transferDvCase']!.requires!;
  const screening = MUTATION_RULES['recordJointScreening']!.requires!;
  const decisions = (entries: [DataCategory, Decision][]) => new Map(entries);

  it('a DV transfer asks for the person’s consent only, about DV_LOCATION', () => {
    expect(transfer.categories).toEqual(['DV_LOCATION']);
    expect(transfer.holder).toEqual({ kind: 'namedAgency', input: 'toAgencyId' });
    expect([...(acceptedBases(transfer) ?? [])]).toEqual(['CONSENT']);
  });

  it('a joint screening asks for any basis of the caller about MENTAL_HEALTH', () => {
    expect(screening.holder).toEqual({ kind: 'caller' });
    expect(acceptedBases(screening)).toBeUndefined();
  });

  it('holds when every category is allowed', () => {
    expect(
      preconditionRefusal(
        screening,
        decisions([['MENTAL_HEALTH', { allowed: true, basis: 'SUPPORT_MEETING', meetingId: 'm' }]]),
      ),
    ).toBeNull();
  });

  it('fails with the decision’s reason and category', () => {
    expect(
      preconditionRefusal(transfer, decisions([['DV_LOCATION', { allowed: false, reason: 'CONSENT_REVOKED' }]])),
    ).toEqual({ category: 'DV_LOCATION', reason: 'CONSENT_REVOKED' });
  });

  it('fails closed when a category was not decided', () => {
    expect(preconditionRefusal(screening, decisions([]))).toEqual({
      category: 'MENTAL_HEALTH',
      reason: 'NO_LEGAL_BASIS',
    });
  });
});
