import { describe, expect, it } from 'vitest';
import type { DataCategory } from '@hub/platform';
import type { Decision } from '../policy/decide.js';
import {
  acceptedBases,
  checksBeforeSending,
  companionsOf,
  maySend,
  MUTATION_RULES,
  mutationRule,
  namedAgencyRefusal,
  namedValues,
  preconditionRefusal,
  type RegisteredAgency,
} from './mutation-rules.js';

const register = new Map<string, RegisteredAgency>(
  [
    { id: 'minamino-collaborator', domain: 'WELFARE', municipalityCode: '990001' },
    { id: 'minamino-kokoro', domain: 'SUICIDE_PREVENTION', municipalityCode: '990001' },
    { id: 'higashiyama-kokoro', domain: 'SUICIDE_PREVENTION', municipalityCode: '990002' },
    { id: 'minamino-silver', domain: 'SENIORS_WORK', municipalityCode: '990001' },
    { id: 'midori-dv-center', domain: 'CHILD_DV', municipalityCode: '990001' },
    { id: 'minamino-kodomo', domain: 'CHILD_DV', municipalityCode: '990001' },
    { id: 'higashiyama-dv', domain: 'CHILD_DV', municipalityCode: '990002' },
    { id: 'higashiyama-welfare', domain: 'WELFARE', municipalityCode: '990002' },
    { id: 'hellowork-minamino', domain: 'EMPLOYMENT', municipalityCode: '990001' },
  ].map((a) => [a.id, { ...a, jurisdiction: [a.municipalityCode] } as RegisteredAgency]),
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

  it('a DV case is updated and moved on by the DV domain, or by a welfare office a transfer made its holder', () => {
    for (const field of ['transferDvCase', 'updateDvCase']) {
      expect(maySend(mutationRule(field), 'WELFARE', 'CHILD_DV')).toBe(true);
      expect(mutationRule(field)).toMatchObject({ callerHolds: 'OPEN_DV_CASE', servedOnly: true });
      expect(maySend(mutationRule(field), 'SUICIDE_PREVENTION', 'CHILD_DV')).toBe(false);
    }
    expect(maySend(mutationRule('openDvCase'), 'WELFARE', 'CHILD_DV')).toBe(false);
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

describe('checks before sending', () => {
  it('a rule of domains and answer only asks nothing before the mutation is sent', () => {
    expect(checksBeforeSending({ owner: 'WELFARE', from: [], answer: 'decided' })).toBe(false);
    expect(checksBeforeSending({ owner: 'WELFARE', from: 'ANY', answer: 'receipt', namedAgencies: [] })).toBe(false);
  });

  it('an agency named, a basis, a record held, a person served or an age is checked before sending', () => {
    for (const name of ['recordJointScreening', 'transferDvCase', 'registerSilverMembership', 'recordPlacement']) {
      expect(checksBeforeSending(mutationRule(name)!), name).toBe(true);
    }
  });
});

describe('agencies named in the input', () => {
  const screening = MUTATION_RULES['recordJointScreening']!;
  const transfer = MUTATION_RULES['transferDvCase']!;
  const report = MUTATION_RULES['recordAbuseReport']!;
  /** Where the person the input names is registered (the caller serving it). */
  const MINAMINO = agency('minamino-collaborator').municipalityCode;

  it('the co-assessor of a joint screening is a SUICIDE_PREVENTION agency', () => {
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'minamino-kokoro' }, register, MINAMINO)).toBeNull();
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'hellowork-minamino' }, register, MINAMINO)).toEqual({
      input: 'coAssessorAgencyId',
      reason: 'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
    });
  });

  it('an agency not in the register is refused like one of another domain', () => {
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'nobody' }, register, MINAMINO)?.reason).toBe(
      'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
    );
    expect(namedAgencyRefusal(screening, {}, register, MINAMINO)?.reason).toBe('CO_ASSESSOR_NOT_SUICIDE_PREVENTION');
  });

  it('the co-assessor of a joint screening serves the municipality the person is registered in', () => {
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'higashiyama-kokoro' }, register, MINAMINO)).toEqual({
      input: 'coAssessorAgencyId',
      reason: 'CO_ASSESSOR_OUTSIDE_JURISDICTION',
      message: "coAssessorAgencyId names an agency that does not serve the person's municipality",
    });
    const prefecture = { ...agency('higashiyama-kokoro'), id: 'prefecture-kokoro', jurisdiction: ['990002', MINAMINO] };
    const withPrefecture = new Map([...register, [prefecture.id, prefecture]]);
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: prefecture.id }, withPrefecture, MINAMINO)).toBeNull();
    // Where she lives unknown to the caller: refused all the same, never taken as served.
    expect(namedAgencyRefusal(screening, { coAssessorAgencyId: 'minamino-kokoro' }, register, undefined)?.reason).toBe(
      'CO_ASSESSOR_OUTSIDE_JURISDICTION',
    );
  });

  it('the co-assessor of the window’s own assessment is a welfare agency (the collaborator) serving her, or none', () => {
    const assessment = MUTATION_RULES['recordRiskAssessment']!;
    const refusal = (coAssessorAgencyId: unknown) =>
      namedAgencyRefusal(assessment, { coAssessorAgencyId }, register, MINAMINO, 'minamino-kokoro')?.reason;
    for (const named of ['minamino-collaborator', null, undefined]) expect(refusal(named)).toBeUndefined();
    for (const named of ['minamino-silver', 'minamino-kokoro', 'nobody'])
      expect(refusal(named)).toBe('CO_ASSESSOR_NOT_WELFARE');
    expect(refusal('higashiyama-welfare')).toBe('CO_ASSESSOR_OUTSIDE_JURISDICTION');
  });

  it('an urgent report goes to a CHILD_DV agency, wherever the person lives', () => {
    expect(namedAgencyRefusal(report, { receivingAgencyId: 'minamino-kodomo' }, register, MINAMINO)).toBeNull();
    expect(namedAgencyRefusal(report, { receivingAgencyId: 'minamino-kokoro' }, register, MINAMINO)?.reason).toBe(
      'RECEIVER_NOT_CHILD_DV',
    );
    // It passes on what is not its area's: a refusal would tell the reporter where she went.
    expect(namedAgencyRefusal(report, { receivingAgencyId: 'higashiyama-dv' }, register, MINAMINO)).toBeNull();
  });

  it('a deactivated agency is named nowhere: no report, screening or transfer is sent to it', () => {
    const off = { ...agency('higashiyama-dv'), deactivated: true };
    const withOff = new Map([...register, [off.id, off]]);
    expect(namedAgencyRefusal(transfer, { toAgencyId: off.id }, withOff, MINAMINO)).toEqual({
      input: 'toAgencyId',
      reason: 'AGENCY_DEACTIVATED',
    });
  });

  it('a DV case moves to another agency than the one that holds it', () => {
    const both = { ...agency('higashiyama-dv'), id: 'both-towns-dv', jurisdiction: [MINAMINO, '990002'] };
    const withBoth = new Map([...register, [both.id, both]]);
    const input = { toAgencyId: both.id, toMunicipalityCode: '990002' };
    expect(namedAgencyRefusal(transfer, input, withBoth, MINAMINO, both.id)).toMatchObject({
      input: 'toAgencyId',
      reason: 'TRANSFER_TO_SELF',
    });
    expect(namedAgencyRefusal(transfer, input, withBoth, MINAMINO, 'midori-dv-center')).toBeNull();
  });

  it('a DV case moves to a DV or welfare agency of another municipality', () => {
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'higashiyama-dv' }, register, MINAMINO)).toBeNull();
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'higashiyama-welfare' }, register, MINAMINO)).toBeNull();
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'minamino-kodomo' }, register, MINAMINO)?.reason).toBe(
      'DESTINATION_SAME_MUNICIPALITY',
    );
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'hellowork-minamino' }, register, MINAMINO)?.reason).toBe(
      'DESTINATION_NOT_DV_SUPPORT',
    );
  });

  it('a move is to another municipality than where she is registered, whatever the destination agency’s home', () => {
    const both = { ...agency('higashiyama-dv'), id: 'both-towns-dv', jurisdiction: [MINAMINO, '990002'] };
    const withBoth = new Map([...register, [both.id, both]]);
    expect(
      namedAgencyRefusal(transfer, { toAgencyId: both.id, toMunicipalityCode: '990002' }, withBoth, MINAMINO),
    ).toBeNull();
    expect(
      namedAgencyRefusal(transfer, { toAgencyId: both.id, toMunicipalityCode: MINAMINO }, withBoth, MINAMINO),
    ).toEqual({
      input: 'toMunicipalityCode',
      reason: 'DESTINATION_SAME_MUNICIPALITY',
      message: 'The destination is in the municipality the person is registered in now',
    });
    // Not named at a destination serving several: refused as required when the move is planned.
    expect(namedAgencyRefusal(transfer, { toAgencyId: both.id }, withBoth, MINAMINO)).toBeNull();
    // A caller that does not serve her is told nothing of where she lives here.
    expect(namedAgencyRefusal(transfer, { toAgencyId: 'minamino-kodomo' }, register, undefined)).toBeNull();
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

describe('namedValues: the agencies an input path names', () => {
  it('one value, a list field’s items, and a field of every item of a list', () => {
    const input = { toAgencyId: 'a', participantAgencyIds: ['b', 'c'], roles: [{ agencyId: 'd' }, { agencyId: 'e' }] };
    expect(namedValues(input, 'toAgencyId')).toEqual(['a']);
    expect(namedValues(input, 'participantAgencyIds')).toEqual(['b', 'c']);
    expect(namedValues(input, 'roles.agencyId')).toEqual(['d', 'e']);
    expect(namedValues(input, 'missing')).toEqual([undefined]);
    expect(namedValues({ roles: [] }, 'roles.agencyId')).toEqual([]);
  });
});

describe('companionsOf', () => {
  const move = MUTATION_RULES['transferDvCase']!.registers!;
  const A = 'AAAAAAAA-0000-4000-8000-000000000001';

  it('a DV transfer takes with her the persons accompanyingPersonIds names, each once, in lower case', () => {
    expect(companionsOf(move, { accompanyingPersonIds: [A, A.toLowerCase(), 'b'] })).toEqual([A.toLowerCase(), 'b']);
  });

  it('none when the input names none, and never for a registration', () => {
    expect(companionsOf(move, {})).toEqual([]);
    expect(companionsOf(move, { accompanyingPersonIds: null })).toEqual([]);
    expect(companionsOf(MUTATION_RULES['registerPerson']!.registers!, { accompanyingPersonIds: [A] })).toEqual([]);
  });
});
