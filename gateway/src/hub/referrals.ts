// つなぎ — referrals of a person from one agency to another, kept by the hub because they cross every
// agency system. A referral is made on a basis the receiving agency already holds (the person's consent
// or a meeting both agencies sit in); it never becomes a basis itself: the person's data it points to
// stays readable by the receiver only while that consent or meeting lasts, decided on every request like
// any read. The referral itself (its reason, its notes) is a record of both its ends, read as their own.

import {
  ERRORS,
  requireUuid,
  type DataCategory,
  type GraphQLResolverMap,
  optionalText,
  requiredText,
  listPage,
} from '@hub/platform';
import type { Caller, GatewayContext } from '../context.js';
import { guardedFields, onCouncil, raisedOutcome, readByParties, type RecordPolicy } from '../enforce/hub-records.js';
import { basesKnownTo, consentNames } from '../policy/explain.js';
import { partyAbout, requireAgencies } from './guards.js';
import { mayMoveReferral, serves } from './permissions.js';
import { decide, type Bases, type Decision, type LegalBasis } from '../policy/decide.js';
import type { HubStore } from './store.js';
import { noSuchReferral, type ReferralRow, type ReferralStatus } from './store/referrals.js';

/** The bases a referral may rest on: the receiver's own domain, the person's consent, or a meeting. */
const REFERRAL_BASES: ReadonlySet<LegalBasis> = new Set(['OWN_DOMAIN', 'CONSENT', 'SUPPORT_MEETING', 'CHILD_COUNCIL']);
/** The receiver's bases where its own domain does not count: those the person or a meeting shares with it. */
const SHARED_REFERRAL_BASES: ReadonlySet<LegalBasis> = new Set(['CONSENT', 'SUPPORT_MEETING', 'CHILD_COUNCIL']);

export interface ReferralParty {
  readonly agencyId: string;
  readonly domain: Caller['domain'];
  readonly jurisdiction: readonly string[];
}

/**
 * Whether `from` may refer the person to `to` carrying `categories`: the sender must itself be allowed
 * each category, and the receiver must hold a basis for each that is not an emergency (an emergency is
 * the declaring agency's alone), on a record the sender knows of (its own domain, a consent naming the
 * sender, a meeting the sender is or was a member of: basesKnownTo). A referral that went through on
 * any other record would tell the sender of it (a child council covering a child), as its `basis` would.
 * Returns the receiver's basis, or the first refusal (the receiver's, as the sender may be told it).
 */
function referralBasis(
  from: ReferralParty,
  to: ReferralParty,
  personId: string,
  categories: readonly DataCategory[],
  bases: Bases,
  now: Date,
  /**
   * Whether the receiver's own domain counts: not for a DV victim moved away (her municipality is DV_LOCATION)
   * when the sender may not know where she went, or whether a referral went through would tell it which
   * town's agencies serve her now.
   */
  receiverOwnDomainCounts = true,
):
  | { allowed: true; basis: LegalBasis; consentId: string | null; meetingId: string | null }
  | { allowed: false; party: 'sender' | 'receiver'; category: DataCategory; decision: Decision } {
  let chosen: { basis: LegalBasis; consentId: string | null; meetingId: string | null } | null = null;
  const knownToSender = basesKnownTo(bases, from.agencyId);
  for (const category of categories) {
    const sender = decide({ caller: from, personId, category, bases, now });
    if (!sender.allowed) return { allowed: false, party: 'sender', category, decision: sender };
    const receiver = decide(
      { caller: to, personId, category, bases: knownToSender, now },
      receiverOwnDomainCounts ? REFERRAL_BASES : SHARED_REFERRAL_BASES,
    );
    if (!receiver.allowed) {
      const decision: Decision = receiver.allowed ? { allowed: false, reason: 'NO_LEGAL_BASIS' } : receiver;
      return { allowed: false, party: 'receiver', category, decision };
    }
    // The referral names the strongest shared basis: a consent or meeting over the receiver's own domain.
    if (!chosen || chosen.basis === 'OWN_DOMAIN') {
      chosen = {
        basis: receiver.basis,
        consentId: receiver.consentId ?? null,
        meetingId: receiver.meetingId ?? null,
      };
    }
  }
  return { allowed: true, ...chosen! };
}

interface CreateReferralInput {
  personId: string;
  toAgencyId: string;
  categories: DataCategory[];
  reason: string;
}

// A referral's reason and notes are the person's WELFARE_CASE: the agencies it names, its two ends, read
// them as their own (contract v2), and nobody else sees the referral at all.
const referralPolicy: RecordPolicy<ReferralRow> = {
  key: (referral) => `Referral:${referral.id}`,
  personIds: (referral) => [referral.personId],
  category: () => 'WELFARE_CASE',
  standing: async ({ fromAgencyId, toAgencyId, personId, basis, meetingId }, { caller, hub }) => {
    const standing = await partyAbout(
      fromAgencyId === caller.agencyId || toAgencyId === caller.agencyId,
      personId,
      caller,
      hub,
    );
    // One made on a child council's basis is read by its two ends on that council's, as the council's own
    // record is (meetings.ts).
    return onCouncil(standing, basis === 'CHILD_COUNCIL' ? meetingId : null);
  },
};

/**
 * A referral is visible to the two agencies it connects and to nobody else; after a DV transfer, to neither
 * end that does not serve where she lives now (partyAbout): answered as an id that names no referral, as the
 * lists leave it out (store/referrals.ts), since what her new town's agencies write on it would tell where
 * she fled.
 */
async function visibleTo(row: ReferralRow | null | undefined, caller: Caller, hub: HubStore) {
  if (!row || (row.fromAgencyId !== caller.agencyId && row.toAgencyId !== caller.agencyId)) return null;
  return (await partyAbout(true, row.personId, caller, hub)).party ? row : null;
}

type Step = Parameters<HubStore['referrals']['transition']>[2];

/** Moves a referral one step, by the party the step belongs to; one it sees no longer is NOT_FOUND (visibleTo). */
async function transition(hub: HubStore, caller: Caller, args: { id: string; note?: string | null }, step: Step) {
  const id = requireUuid(args.id, 'id');
  const note = optionalText(args.note, 'note');
  const row = await hub.referrals.byId.load(id);
  if (row && !(await visibleTo(row, caller, hub))) throw noSuchReferral();
  return hub.referrals.transition(id, caller.agencyId, step, note, (referral, by) => {
    if (!mayMoveReferral(caller.agencyId, referral, by)) {
      throw by === 'to'
        ? ERRORS.FORBIDDEN.err('Only the receiving agency answers a referral', { reason: 'NOT_THE_RECEIVER' })
        : ERRORS.FORBIDDEN.err('Only the referring agency withdraws it', { reason: 'NOT_THE_SENDER' });
    }
  });
}

interface ReferralPage {
  status?: ReferralStatus | null;
  first?: number | null;
  after?: string | null;
}

/** A page of the agency's referrals on one side; `after` must be one of them (INVALID_CURSOR otherwise). */
function referralPage(hub: HubStore, caller: Caller, side: 'from' | 'to', args: ReferralPage) {
  return listPage(args, 'a referral of this list', ({ first, after }) =>
    hub.referrals.list(caller, side, args.status ?? null, first, after),
  );
}

export const referralResolvers: GraphQLResolverMap<GatewayContext> = {
  // Whom a referral is about, and where it stands, are read with it: logged for its two ends as their own.
  Query: readByParties(referralPolicy, {
    referral: async (_: unknown, { id }: { id: string }, { caller, hub }) =>
      visibleTo(await hub.referrals.byId.load(requireUuid(id, 'id')), caller, hub),
    referralsReceived: (_: unknown, args: ReferralPage, { caller, hub }) => referralPage(hub, caller, 'to', args),
    referralsSent: (_: unknown, args: ReferralPage, { caller, hub }) => referralPage(hub, caller, 'from', args),
  }),

  Mutation: readByParties(referralPolicy, {
    async createReferral(_: unknown, { input }: { input: CreateReferralInput }, context, info) {
      const { caller, hub } = context;
      const personId = requireUuid(input.personId, 'personId');
      const categories = [...new Set(input.categories)];
      if (!categories.length) {
        throw ERRORS.BAD_USER_INPUT.err('categories must name what the referral carries', {
          argument: 'categories',
          reason: 'EMPTY',
        });
      }
      const reason = requiredText(input.reason, 'reason');
      const receiver = (await requireAgencies(hub, [input.toAgencyId], 'toAgencyId'))[0]!;
      if (receiver.id === caller.agencyId) {
        throw ERRORS.BAD_USER_INPUT.err('An agency does not refer a person to itself', {
          argument: 'toAgencyId',
          reason: 'SELF_REFERRAL',
        });
      }
      // The sender hands on what it holds of her: its basis for each category carried is decided and logged
      // as a read of it is, allowed or refused, before anything is recorded.
      const port = context.policyFor(info.operation.name?.value ?? null);
      const carried = (await port.decide([personId], new Set(categories))).get(personId)!;
      await port.record([{ personId, decisions: carried }]);
      const bases = (await hub.bases([personId])).get(personId)!;
      const to = { agencyId: receiver.id, domain: receiver.domain, jurisdiction: receiver.jurisdiction };
      const now = new Date();
      const resident = await hub.residents.resident.load(personId);
      // Whether the sender knows where she lives: her municipality would be released to it, as
      // Person.municipalityCode releases a moved victim's (DV_LOCATION, tagged CONTACT, raised for DV).
      const where = (category: DataCategory) => [category, decide({ caller, personId, category, bases, now })] as const;
      const knowsWhere =
        resident?.locationProtected !== true ||
        raisedOutcome(
          'DV_LOCATION',
          'CONTACT',
          'DV',
          new Map([where('DV_LOCATION'), where('CONTACT'), where('DV')]),
          serves(caller, resident.municipalityCode),
        ).told === null;
      const outcome = referralBasis(caller, to, personId, categories, bases, now, knowsWhere);
      if (!outcome.allowed) {
        // The receiver's decision was made on the records the sender knows of: its reason is the sender's to hear.
        const reason = outcome.decision.allowed ? 'NO_LEGAL_BASIS' : outcome.decision.reason;
        throw ERRORS.FORBIDDEN.err(
          outcome.party === 'sender'
            ? `The referring agency has no basis for ${outcome.category} about this person`
            : `The receiving agency has no consent or meeting basis for ${outcome.category} about this person`,
          { reason, category: outcome.category, personId },
        );
      }
      return hub.referrals.create({
        personId,
        fromAgencyId: caller.agencyId,
        toAgencyId: receiver.id,
        categories,
        reason,
        basis: outcome.basis,
        consentId: outcome.consentId,
        meetingId: outcome.meetingId,
        createdByStaff: caller.staffId,
      });
    },
    acceptReferral: (_: unknown, args: { id: string; note?: string | null }, { caller, hub }) =>
      transition(hub, caller, args, 'accept'),
    declineReferral: (_: unknown, args: { id: string; note?: string | null }, { caller, hub }) =>
      transition(hub, caller, args, 'decline'),
    completeReferral: (_: unknown, args: { id: string; note?: string | null }, { caller, hub }) =>
      transition(hub, caller, args, 'complete'),
    withdrawReferral: (_: unknown, args: { id: string; note?: string | null }, { caller, hub }) =>
      transition(hub, caller, args, 'withdraw'),
  }),

  Referral: {
    ...guardedFields(referralPolicy, ['reason', 'responseNote', 'withdrawalNote']),
    // The person as the hub's register has her, so her own fields here (where she is registered) are read
    // and decided as on person(id), not from a bare key.
    person: async (row: ReferralRow, _: unknown, { hub }: GatewayContext) => ({
      id: row.personId,
      resident: await hub.residents.resident.load(row.personId),
    }),
    // The receiver's basis rests on its own record: the sender is told which meeting or consent only when
    // it is in that meeting or named by that consent (a council covering a child is no sender's to learn of).
    meetingId: async (row: ReferralRow, _: unknown, { caller, hub }: GatewayContext) =>
      row.meetingId &&
      (row.toAgencyId === caller.agencyId || (await hub.meetings.visible(row.meetingId, caller.agencyId)))
        ? row.meetingId
        : null,
    consentId: async (row: ReferralRow, _: unknown, { caller, hub }: GatewayContext) => {
      if (!row.consentId || row.toAgencyId === caller.agencyId) return row.consentId;
      const [consent] = await hub.consents.byIds([row.consentId]);
      return consent && consentNames(consent, caller.agencyId) ? row.consentId : null;
    },
    from: (row: ReferralRow, _: unknown, { hub }) => hub.agency.load(row.fromAgencyId),
    to: (row: ReferralRow, _: unknown, { hub }) => hub.agency.load(row.toAgencyId),
  },
};
