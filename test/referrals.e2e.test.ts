// つなぎ: referrals between agencies, made on the person's consent or a meeting, answered by the
// receiver, followed by the sender; never a basis by themselves (DOMAIN.md §3, issue "cross-agency work").

import { describe, expect, it } from 'vitest';
import { AGENCIES, residentId } from '@hub/platform';
import {
  acknowledge,
  askedFor,
  closeMeeting,
  convene,
  denials,
  expectReadAsOwn,
  grantConsent,
  readAccessLog,
  revokeConsent,
} from './support/bases.js';
import { registerJobSeeker } from './support/employment.js';
import { useTestHub } from './support/hub.js';
import { registerResident } from './support/welfare.js';

const hub = useTestHub();

const selfReliance = AGENCIES.minaminoSelfReliance.id;
const helloWork = AGENCIES.helloWorkMinamino.id;
const kokoro = AGENCIES.minaminoKokoro.id;
const collaborator = AGENCIES.minaminoCollaborator.id;
const silver = AGENCIES.minaminoSilver.id;
const takahashi = residentId('takahashi');
const kato = residentId('kato');
const mori = residentId('mori');

const CREATE = /* GraphQL */ `
  mutation Refer($input: CreateReferralInput!) {
    createReferral(input: $input) {
      id
      status
      basis
      consentId
      meetingId
      categories
      from {
        id
      }
      to {
        id
      }
    }
  }
`;

interface Created {
  createReferral: {
    id: string;
    status: string;
    basis: string;
    consentId: string | null;
    meetingId: string | null;
    categories: string[];
    from: { id: string };
    to: { id: string };
  };
}

const refer = (from: string, input: Record<string, unknown>) =>
  hub.query<Created>({ agency: from }, CREATE, {
    input: { reason: '短時間就労の希望', categories: ['WELFARE_CASE'], ...input },
  });

const STEP = (step: string) => /* GraphQL */ `
  mutation ($id: ID!, $note: String) {
    ${step}(id: $id, note: $note) {
      id
      status
      responseNote
      respondedAt
      completedAt
    }
  }
`;

async function countReferrals(agency: string, side: 'referralsSent' | 'referralsReceived') {
  const result = await hub.query<Record<string, { id: string }[]>>({ agency }, `{ ${side}(first: 200) { id } }`);
  return result.data![side]!.length;
}

/** A support meeting about mori sharing WELFARE_CASE, convened by the collaborator, kokoro an acknowledged member. */
const moriMeeting = () =>
  convene(hub, collaborator, {
    kind: 'SUPPORT_MEETING',
    subjectPersonIds: [mori],
    sharedCategories: ['WELFARE_CASE'],
    members: [kokoro],
    acknowledged: [collaborator, kokoro],
  });

describe('referrals (つなぎ)', () => {
  it('a referral on the person’s consent naming the receiver is created with that consent as its basis', async () => {
    const consentId = await grantConsent(hub, selfReliance, {
      personId: takahashi,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const result = await refer(selfReliance, { personId: takahashi, toAgencyId: helloWork });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createReferral).toMatchObject({
      status: 'REQUESTED',
      basis: 'CONSENT',
      consentId,
      meetingId: null,
      categories: ['WELFARE_CASE'],
      from: { id: selfReliance },
      to: { id: helloWork },
    });
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('a referral without consent or meeting is refused with FORBIDDEN and nothing is recorded', async () => {
    const before = await countReferrals(selfReliance, 'referralsSent');
    const result = await refer(selfReliance, { personId: kato, toAgencyId: helloWork });
    expect(result.data).toBeNull();
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NO_LEGAL_BASIS',
      category: 'WELFARE_CASE',
      personId: kato,
    });
    expect(await countReferrals(selfReliance, 'referralsSent')).toBe(before);
  });

  it('a referral on a support meeting both agencies sit in rests on that meeting', async () => {
    const meetingId = await moriMeeting();
    const result = await refer(collaborator, { personId: mori, toAgencyId: kokoro, reason: '気分の落ち込み' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createReferral).toMatchObject({ basis: 'SUPPORT_MEETING', meetingId });
    await closeMeeting(hub, collaborator, meetingId);
  });

  it('a sender outside the meeting the receiver’s basis rests on is refused as if there were none (NO_LEGAL_BASIS): a referral, or its basis, would tell it of the meeting', async () => {
    const meetingId = await moriMeeting();
    const before = await countReferrals(selfReliance, 'referralsSent');
    // The self-reliance office holds mori's WELFARE_CASE as its own and sits in no meeting about him.
    const result = await refer(selfReliance, { personId: mori, toAgencyId: kokoro, reason: '気分の落ち込み' });
    expect(result.data?.createReferral ?? null).toBeNull();
    expect(result.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      ['FORBIDDEN', 'NO_LEGAL_BASIS'],
    ]);
    expect(JSON.stringify(result.errors)).not.toMatch(/MEETING|COUNCIL/);
    expect(await countReferrals(selfReliance, 'referralsSent')).toBe(before);
    // A member of that meeting refers him on it, and reads where he is registered as on person(id).
    const sentByMember = await refer(collaborator, { personId: mori, toAgencyId: kokoro, reason: '気分の落ち込み' });
    expect(sentByMember.errors).toBeUndefined();
    expect(sentByMember.data!.createReferral).toMatchObject({ basis: 'SUPPORT_MEETING', meetingId });
    const sent = await hub.query<{ referral: { person: { municipalityCode: string | null } } | null }>(
      { agency: collaborator },
      'query ($id: ID!) { referral(id: $id) { person { municipalityCode } } }',
      { id: sentByMember.data!.createReferral.id },
    );
    expect(sent.errors).toBeUndefined();
    expect(sent.data!.referral!.person.municipalityCode).toBe('990001');
    await closeMeeting(hub, collaborator, meetingId);
  });

  it('a receiver that has not acknowledged confidentiality cannot be referred to (CONFIDENTIALITY_NOT_ACKNOWLEDGED)', async () => {
    const meetingId = await convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [mori],
      sharedCategories: ['WELFARE_CASE'],
      members: [silver],
      acknowledged: [collaborator],
    });
    const result = await refer(collaborator, { personId: mori, toAgencyId: silver });
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CONFIDENTIALITY_NOT_ACKNOWLEDGED',
    });
    await acknowledge(hub, silver, meetingId);
    const retried = await refer(collaborator, { personId: mori, toAgencyId: silver });
    expect(retried.errors).toBeUndefined();
    await closeMeeting(hub, collaborator, meetingId);
  });

  it('a sender is told a consent reason of the receiver only when that consent names the sender too', async () => {
    const environment = AGENCIES.minaminoEnvironment.id;
    const person = residentId('watanabe');
    // A consent naming Silver for EMPLOYMENT, awaiting Hello Work's confirmation; the environment office is not named.
    const pending = await grantConsent(hub, selfReliance, {
      personId: person,
      recipientAgencyIds: [silver],
      categories: ['EMPLOYMENT'],
      confirmBy: false,
    });
    // The environment office's own basis for EMPLOYMENT: a consent Hello Work recorded, naming it.
    const own = await grantConsent(hub, helloWork, {
      personId: person,
      recipientAgencyIds: [environment],
      categories: ['EMPLOYMENT'],
    });
    const refused = await refer(environment, { personId: person, toAgencyId: silver, categories: ['EMPLOYMENT'] });
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NO_LEGAL_BASIS',
      category: 'EMPLOYMENT',
    });
    // Named in a pending consent beside the receiver, it is told why.
    const both = await grantConsent(hub, selfReliance, {
      personId: person,
      recipientAgencyIds: [silver, environment],
      categories: ['EMPLOYMENT'],
      confirmBy: false,
    });
    const told = await refer(environment, { personId: person, toAgencyId: silver, categories: ['EMPLOYMENT'] });
    expect(told.errors![0]!.extensions).toMatchObject({ reason: 'CONSENT_NOT_CONFIRMED', category: 'EMPLOYMENT' });
    await revokeConsent(hub, selfReliance, both);
    await revokeConsent(hub, selfReliance, pending);
    await revokeConsent(hub, helloWork, own);
  });

  it('a sender is told the receiver’s refusal as the records it knows of decide it, not a reason of a meeting or consent it is not party to', async () => {
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    const father = residentId('yamada-father');
    // A meeting the sender is not in, where the receiver has not acknowledged confidentiality.
    const unseen = await convene(hub, AGENCIES.minaminoHikikomori.id, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [father],
      sharedCategories: ['HIKIKOMORI'],
      members: [kokoro],
      acknowledged: [],
    });
    // A meeting both sit in, acknowledged, that shares only IDENTITY.
    const shared = await convene(hub, AGENCIES.minaminoWelfare.id, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [father],
      sharedCategories: ['IDENTITY'],
      members: [houkatsu, kokoro],
      acknowledged: [houkatsu, kokoro],
    });
    const refused = await refer(houkatsu, { personId: father, toAgencyId: kokoro, categories: ['HIKIKOMORI'] });
    // What the sender may know: the meeting it sits in does not share HIKIKOMORI. Not the other meeting's reason.
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CATEGORY_NOT_SHARED',
      category: 'HIKIKOMORI',
    });
    await closeMeeting(hub, AGENCIES.minaminoWelfare.id, shared);
    await closeMeeting(hub, AGENCIES.minaminoHikikomori.id, unseen);

    // A revoked consent naming the receiver and not the sender is no reason the sender is told.
    const revoked = await grantConsent(hub, collaborator, {
      personId: father,
      recipientAgencyIds: [kokoro],
      categories: ['EMPLOYMENT'],
    });
    await revokeConsent(hub, collaborator, revoked);
    const named = await grantConsent(hub, collaborator, {
      personId: father,
      recipientAgencyIds: [kokoro, helloWork],
      categories: ['IDENTITY'],
    });
    const consentRefused = await refer(helloWork, { personId: father, toAgencyId: kokoro, categories: ['EMPLOYMENT'] });
    expect(consentRefused.errors![0]!.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NO_LEGAL_BASIS',
      category: 'EMPLOYMENT',
    });
    await revokeConsent(hub, collaborator, named);
  });

  it('a sender cannot pass on a category it has no basis for itself', async () => {
    const consentId = await grantConsent(hub, collaborator, {
      personId: takahashi,
      recipientAgencyIds: [helloWork],
      categories: ['MENTAL_HEALTH'],
    });
    const result = await refer(silver, { personId: takahashi, toAgencyId: helloWork, categories: ['MENTAL_HEALTH'] });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', category: 'MENTAL_HEALTH' });
    expect(result.errors![0]!.message).toMatch(/referring agency/);
    await revokeConsent(hub, collaborator, consentId);
  });

  it('the sender’s decision for each category it carries is in her access log, refused or allowed, with the stated purpose', async () => {
    const person = await registerResident(hub);
    const consentId = await grantConsent(hub, selfReliance, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const purpose = '就労支援への引継ぎ';
    const refused = await hub.as(silver, { purpose }).query<Created>(CREATE, {
      input: { personId: person, toAgencyId: helloWork, categories: ['WELFARE_CASE'], reason: '短時間就労の希望' },
    });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', category: 'WELFARE_CASE' });
    const made = await hub.as(selfReliance, { purpose }).query<Created>(CREATE, {
      input: { personId: person, toAgencyId: helloWork, categories: ['WELFARE_CASE'], reason: '短時間就労の希望' },
    });
    expect(made.errors).toBeUndefined();
    const [allowed, denied] = await readAccessLog(hub, person);
    expect(denied).toMatchObject({
      agency: { id: silver },
      categories: ['WELFARE_CASE'],
      allowed: false,
      reason: 'NO_LEGAL_BASIS',
      purpose: '就労支援への引継ぎ',
    });
    expect(allowed).toMatchObject({
      agency: { id: selfReliance },
      categories: ['WELFARE_CASE'],
      allowed: true,
      basis: 'OWN_DOMAIN',
      purpose: '就労支援への引継ぎ',
    });
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('its two ends reading a referral are logged as reading her WELFARE_CASE as their own, whichever of its fields they ask (an id, a status, whom it is about)', async () => {
    const person = await registerResident(hub);
    const consentId = await grantConsent(hub, selfReliance, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const made = await refer(selfReliance, { personId: person, toAgencyId: helloWork });
    const id = made.data!.createReferral.id;
    const reads = [
      [helloWork, '受付一覧の確認', `{ referralsReceived { id person { id } status } }`],
      [selfReliance, '送付一覧の確認', `{ referralsSent { id categories } }`],
      [helloWork, '紹介の確認', `query ($id: ID!) { referral(id: $id) { status } }`],
      [helloWork, '紹介の受理', `mutation ($id: ID!) { acceptReferral(id: $id) { id status } }`],
    ] as const;
    for (const [agency, purpose, query] of reads) {
      const read = await hub.as(agency, { purpose }).query(query, { id });
      expect(read.errors, JSON.stringify(read.errors)).toBeUndefined();
    }
    for (const [agency, purpose] of reads) await expectReadAsOwn(hub, person, agency, purpose);
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('the receiver accepts and completes; the sender follows the status', async () => {
    const consentId = await grantConsent(hub, selfReliance, {
      personId: takahashi,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const created = await refer(selfReliance, { personId: takahashi, toAgencyId: helloWork });
    const id = created.data!.createReferral.id;

    const received = await hub.query<{ referralsReceived: { id: string; status: string }[] }>(
      { agency: helloWork },
      `{ referralsReceived(status: REQUESTED) { id status } }`,
    );
    expect(received.data!.referralsReceived.map((r) => r.id)).toContain(id);

    const accepted = await hub.query<{ acceptReferral: { status: string; respondedAt: string } }>(
      { agency: helloWork },
      STEP('acceptReferral'),
      { id, note: '面談日を調整' },
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptReferral.status).toBe('ACCEPTED');

    const seen = await hub.query<{ referral: { status: string; responseNote: string } }>(
      { agency: selfReliance },
      `query ($id: ID!) { referral(id: $id) { status responseNote } }`,
      { id },
    );
    expect(seen.data!.referral).toEqual({ status: 'ACCEPTED', responseNote: '面談日を調整' });

    const completed = await hub.query<{ completeReferral: { status: string; completedAt: string } }>(
      { agency: helloWork },
      STEP('completeReferral'),
      { id },
    );
    expect(completed.data!.completeReferral.status).toBe('COMPLETED');
    expect(completed.data!.completeReferral.completedAt).toBeTruthy();

    const sent = await hub.query<{ referralsSent: { id: string; status: string }[] }>(
      { agency: selfReliance },
      `{ referralsSent(status: COMPLETED) { id status } }`,
    );
    expect(sent.data!.referralsSent.map((r) => r.id)).toContain(id);
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('an illegal transition is refused with ILLEGAL_TRANSITION and changes nothing', async () => {
    const consentId = await grantConsent(hub, selfReliance, {
      personId: takahashi,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const id = (await refer(selfReliance, { personId: takahashi, toAgencyId: helloWork })).data!.createReferral.id;
    const early = await hub.query({ agency: helloWork }, STEP('completeReferral'), { id });
    expect(early.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ILLEGAL_TRANSITION' });

    await hub.query({ agency: helloWork }, STEP('declineReferral'), { id, note: '対象外' });
    const again = await hub.query({ agency: helloWork }, STEP('acceptReferral'), { id });
    expect(again.errors![0]!.extensions).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });
    const withdrawn = await hub.query({ agency: selfReliance }, STEP('withdrawReferral'), { id });
    expect(withdrawn.errors![0]!.extensions).toMatchObject({ reason: 'ILLEGAL_TRANSITION' });

    const seen = await hub.query<{ referral: { status: string } }>(
      { agency: selfReliance },
      `query ($id: ID!) { referral(id: $id) { status } }`,
      { id },
    );
    expect(seen.data!.referral.status).toBe('DECLINED');
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('only the receiver answers, only the sender withdraws, and a third agency is told there is no such referral', async () => {
    const consentId = await grantConsent(hub, selfReliance, {
      personId: takahashi,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE'],
    });
    const id = (await refer(selfReliance, { personId: takahashi, toAgencyId: helloWork })).data!.createReferral.id;

    const bySender = await hub.query({ agency: selfReliance }, STEP('acceptReferral'), { id });
    expect(bySender.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_THE_RECEIVER' });
    const byReceiver = await hub.query({ agency: helloWork }, STEP('withdrawReferral'), { id });
    expect(byReceiver.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_THE_SENDER' });
    const byStranger = await hub.query({ agency: silver }, STEP('acceptReferral'), { id });
    expect(byStranger.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const read = await hub.query<{ referral: null }>(
      { agency: silver },
      `query ($id: ID!) { referral(id: $id) { id } }`,
      { id },
    );
    expect(read.data!.referral).toBeNull();

    const withdrawn = await hub.query<{ withdrawReferral: { status: string } }>(
      { agency: selfReliance },
      STEP('withdrawReferral'),
      { id, note: '本人の希望により見送り' },
    );
    expect(withdrawn.data!.withdrawReferral.status).toBe('WITHDRAWN');

    // The sender's note is its own field: the receiver's answer (responseNote, respondedAt) stays unset.
    const READ = `query ($id: ID!) { referral(id: $id) { status responseNote respondedAt withdrawalNote withdrawnAt } }`;
    type Read = { referral: Record<string, string | null> };
    for (const agency of [selfReliance, helloWork]) {
      const seen = await hub.query<Read>({ agency }, READ, { id });
      expect(seen.errors).toBeUndefined();
      expect(seen.data!.referral).toMatchObject({
        status: 'WITHDRAWN',
        responseNote: null,
        respondedAt: null,
        withdrawalNote: '本人の希望により見送り',
      });
      expect(Date.parse(seen.data!.referral['withdrawnAt']!)).not.toBeNaN();
    }
    await revokeConsent(hub, selfReliance, consentId);
  });

  it('a referral is never a basis: when its meeting closes, the receiver is denied what it carried', async () => {
    const meetingId = await convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [mori],
      sharedCategories: ['WELFARE_CASE'],
      members: [helloWork],
      acknowledged: [collaborator, helloWork],
    });
    const created = await refer(collaborator, { personId: mori, toAgencyId: helloWork });
    const id = created.data!.createReferral.id;
    await hub.query({ agency: helloWork }, STEP('acceptReferral'), { id });

    const READ = `query ($id: ID!) { referral(id: $id) { status person { id cases { status } } } }`;
    type Read = { referral: { status: string; person: { id: string; cases: { status: string }[] | null } } };
    const during = await hub.query<Read>({ agency: helloWork }, READ, { id });
    expect(during.errors).toBeUndefined();
    expect(during.data!.referral.person.cases).not.toBeNull();

    await closeMeeting(hub, collaborator, meetingId);
    hub.forget();
    const after = await hub.query<Read>({ agency: helloWork }, READ, { id });
    expect(after.data!.referral.status).toBe('ACCEPTED');
    expect(after.data!.referral.person.cases).toBeNull();
    expect(denials(after.errors)).toEqual([
      {
        category: 'WELFARE_CASE',
        reason: 'MEETING_NOT_ACTIVE',
        personId: mori,
        path: ['referral', 'person', 'cases'],
      },
    ]);
    expect(askedFor(hub, 'welfare', mori, 'cases')).toBe(false);
  });

  it('a revocation holds for a referral answered after it in the same request (CONSENT_REVOKED)', async () => {
    const person = await registerResident(hub, collaborator);
    await registerJobSeeker(hub, person);
    const consentId = await grantConsent(hub, helloWork, {
      personId: person,
      recipientAgencyIds: [selfReliance],
      categories: ['EMPLOYMENT'],
    });
    const created = await refer(helloWork, { personId: person, toAgencyId: selfReliance, categories: ['EMPLOYMENT'] });
    const id = created.data!.createReferral.id;
    type Answered = {
      revoked: { active: boolean };
      accepted: { status: string; person: { jobSeeker: { status: string } | null } };
    };
    // The welfare office serving her revokes (on her word) and answers the referral in one request: the
    // referral's person is read after the revocation, on the bases it left.
    hub.forget();
    const result = await hub.query<Answered>(
      { agency: selfReliance },
      `mutation ($c: ID!, $id: ID!) {
        revoked: revokeConsent(id: $c, reason: "本人の申出") { active }
        accepted: acceptReferral(id: $id) { status person { jobSeeker { status } } }
      }`,
      { c: consentId, id },
    );
    expect(result.data!.revoked).toEqual({ active: false });
    expect(result.data!.accepted.status).toBe('ACCEPTED');
    expect(result.data!.accepted.person.jobSeeker).toBeNull();
    expect(denials(result.errors)).toEqual([
      {
        category: 'EMPLOYMENT',
        reason: 'CONSENT_REVOKED',
        personId: person,
        path: ['accepted', 'person', 'jobSeeker'],
      },
    ]);
    expect(askedFor(hub, 'employment', person, 'jobSeeker')).toBe(false);
  });

  it('a meeting’s end holds for a referral answered after it in the same request (MEETING_NOT_ACTIVE)', async () => {
    const person = await registerResident(hub, collaborator);
    await registerJobSeeker(hub, person);
    const meetingId = await convene(hub, collaborator, {
      kind: 'SUPPORT_MEETING',
      subjectPersonIds: [person],
      sharedCategories: ['EMPLOYMENT'],
      members: [helloWork],
      acknowledged: [collaborator, helloWork],
    });
    const created = await refer(helloWork, { personId: person, toAgencyId: collaborator, categories: ['EMPLOYMENT'] });
    expect(created.data!.createReferral).toMatchObject({ basis: 'SUPPORT_MEETING', meetingId });
    hub.forget();
    type Answered = {
      closed: { id: string };
      accepted: { status: string; person: { jobSeeker: { status: string } | null } };
    };
    const result = await hub.query<Answered>(
      { agency: collaborator },
      `mutation ($m: ID!, $id: ID!) {
        closed: closeMeeting(id: $m) { id }
        accepted: acceptReferral(id: $id) { status person { jobSeeker { status } } }
      }`,
      { m: meetingId, id: created.data!.createReferral.id },
    );
    expect(result.data!.accepted.status).toBe('ACCEPTED');
    expect(result.data!.accepted.person.jobSeeker).toBeNull();
    expect(denials(result.errors)).toEqual([
      {
        category: 'EMPLOYMENT',
        reason: 'MEETING_NOT_ACTIVE',
        personId: person,
        path: ['accepted', 'person', 'jobSeeker'],
      },
    ]);
    expect(askedFor(hub, 'employment', person, 'jobSeeker')).toBe(false);
  });

  it('a revocation holds for the hub’s own fields after it in the same fetch (CONSENT_REVOKED)', async () => {
    const person = await registerResident(hub, collaborator);
    const consentId = await grantConsent(hub, selfReliance, {
      personId: person,
      recipientAgencyIds: [helloWork],
      categories: ['WELFARE_CASE', 'CONTACT'],
    });
    const first = (await refer(selfReliance, { personId: person, toAgencyId: helloWork })).data!.createReferral.id;
    const second = (await refer(selfReliance, { personId: person, toAgencyId: helloWork })).data!.createReferral.id;
    type Accepted = { person: { municipalityCode: string | null } };
    // A hub administrator at Hello Work revokes between two answers it reads her municipality in: all three
    // are the hub's fields, answered in one fetch.
    const result = await hub.as(helloWork, { roles: ['hub-admin'] }).query<{
      one: Accepted;
      revoked: { active: boolean };
      two: Accepted;
    }>(
      `mutation ($one: ID!, $c: ID!, $two: ID!) {
        one: acceptReferral(id: $one) { person { municipalityCode } }
        revoked: revokeConsent(id: $c, reason: "本人の申出") { active }
        two: acceptReferral(id: $two) { person { municipalityCode } }
      }`,
      { one: first, c: consentId, two: second },
    );
    expect(result.data!.one.person.municipalityCode).toBe(AGENCIES.minaminoCollaborator.municipalityCode);
    expect(result.data!.revoked).toEqual({ active: false });
    expect(result.data!.two.person.municipalityCode).toBeNull();
    expect(denials(result.errors)).toEqual([
      { category: 'CONTACT', reason: 'CONSENT_REVOKED', personId: person, path: ['two', 'person', 'municipalityCode'] },
    ]);
  });

  it('a DV victim’s welfare agencies of the town she fled to refer her to each other on their own domain: the sender knows where she lives', async () => {
    const houkatsu = AGENCIES.minaminoHoukatsu.id;
    for (const key of ['suzuki-mother', 'suzuki-child'] as const) {
      const created = await hub.query<Created>({ agency: AGENCIES.minaminoWelfare.id }, CREATE, {
        input: { personId: residentId(key), toAgencyId: houkatsu, reason: '見守り', categories: ['WELFARE_CASE'] },
      });
      expect({ key, errors: created.errors, basis: created.data?.createReferral.basis }).toEqual({
        key,
        errors: undefined,
        basis: 'OWN_DOMAIN',
      });
    }
  });

  it('malformed input is refused with a clear error: unknown agency, self-referral, no categories', async () => {
    const unknown = await refer(selfReliance, { personId: takahashi, toAgencyId: 'no-such-agency' });
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'toAgencyId' });
    const self = await refer(selfReliance, { personId: takahashi, toAgencyId: selfReliance });
    expect(self.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'toAgencyId' });
    const none = await refer(selfReliance, { personId: takahashi, toAgencyId: helloWork, categories: [] });
    expect(none.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'categories' });
    const badId = await refer(selfReliance, { personId: 'not-a-uuid', toAgencyId: helloWork });
    expect(badId.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('the referral lists, page by page', () => {
  it('after the last id of a page gives the next, to the end; an id not of the list is INVALID_CURSOR', async () => {
    // kokoro, an acknowledged member of the meeting about mori, refers him to the collaborator, which convened it.
    await moriMeeting();
    for (let i = 0; i < 3; i += 1) {
      const sent = await refer(kokoro, { personId: mori, toAgencyId: collaborator, reason: `ページ ${i}` });
      expect(sent.errors, JSON.stringify(sent.errors)).toBeUndefined();
    }
    const page = async (after?: string) => {
      const result = await hub.query<{ referralsSent: { id: string }[] }>(
        { agency: kokoro },
        'query ($after: ID) { referralsSent(first: 2, after: $after) { id } }',
        { after },
      );
      expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
      return result.data!.referralsSent.map((r) => r.id);
    };
    const all = (
      await hub.query<{ referralsSent: { id: string }[] }>({ agency: kokoro }, '{ referralsSent(first: 200) { id } }')
    ).data!.referralsSent.map((r) => r.id);
    const walked: string[] = [];
    for (let ids = await page(); ids.length; ids = await page(ids.at(-1))) walked.push(...ids);
    expect(walked).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(3);

    // One of the list's received side, another agency's, or no id at all: not a cursor of kokoro's sent list.
    const received = await hub.query<{ referralsReceived: { id: string }[] }>(
      { agency: collaborator },
      '{ referralsReceived(first: 1) { id } }',
    );
    for (const after of [received.data!.referralsReceived[0]!.id, '00000000-0000-4000-8000-000000000000', 'x']) {
      const refused = await hub.query(
        { agency: silver },
        'query ($after: ID) { referralsSent(after: $after) { id } }',
        { after },
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
        reason: 'INVALID_CURSOR',
      });
    }
  });
});
