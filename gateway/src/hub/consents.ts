// 本人同意 — recording, confirming and revoking a person's consents (who sees them: consent-readers.ts). The holder
// of the data lets it flow: a consent opens a category once an agency of its owning domain recorded or confirmed it.

import {
  loadEvery,
  CATEGORY_NAMES,
  ERRORS,
  isPlainLine,
  MAX_PAGE,
  requireUuid,
  type DataCategory,
  type GraphQLResolverMap,
  requiredText,
  optionalLine,
  optionalStaffId,
  MAX_LINE,
  pageOf,
  listPage,
  ageOn,
  comingOfAge,
} from '@hub/platform';
import type { GraphQLResolveInfo } from 'graphql';
import type { Caller, GatewayContext } from '../context.js';
import { AS_OWN, guardedFields, readByParties, reportAlongside } from '../enforce/hub-records.js';
import {
  forbidden,
  isActiveNow,
  judgedAt,
  nonEmptyUnique,
  requireAgencies,
  requireJurisdiction,
  requireStartSoon,
} from './guards.js';
import { denialMessage } from '../policy/decide.js';
import { categoriesHeldBy, categoriesOnlyTheHolderRecords, mayRevokeConsent, sameStaff } from './permissions.js';
import { hasRelationship } from './relationship.js';
import {
  CONSENT_ITEM,
  consentKnownTo,
  consentPolicy,
  hasEnded,
  notARevoker,
  visibleConsents,
} from './consent-readers.js';
import type { AgencyRow, ConsentMethod, ConsentRow } from './store.js';

const ADULT_AGE = 18;

type Args<T> = { input: T };

interface GrantConsentInput {
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  purpose: string;
  validFrom: Date;
  validUntil: Date;
  method: ConsentMethod;
  guardianName?: string | null;
  evidenceRef?: string | null;
  witnessStaffId?: string | null;
  guardianshipRef?: string | null;
}

function missingEvidence(argument: string, message: string): never {
  throw ERRORS.BAD_USER_INPUT.err(message, { argument, reason: 'MISSING_EVIDENCE' });
}

/** How a consent was evidenced, as recorded. */
interface ConsentEvidence {
  guardianName: string | null;
  evidenceRef: string | null;
  witnessStaffId: string | null;
  guardianshipRef: string | null;
}

/**
 * How the consent was obtained, as the contract asks it to be evidenced, checked on the input alone before
 * anything about the person is read: a signed form for WRITTEN and GUARDIAN (its reference in the recording
 * agency's records), a guardian's name for GUARDIAN, and a second staff member for ORAL.
 */
function consentEvidence(input: GrantConsentInput, caller: Caller): ConsentEvidence {
  const guardianName = optionalLine(input.guardianName, 'guardianName', MAX_LINE);
  const evidenceRef = optionalLine(input.evidenceRef, 'evidenceRef', MAX_LINE);
  // A staff id, as a token's `sub` is: one line of plain text.
  const witnessStaffId = optionalStaffId(input.witnessStaffId, 'witnessStaffId', 200);
  const guardianshipRef = optionalLine(input.guardianshipRef, 'guardianshipRef', MAX_LINE);
  if ((input.method === 'GUARDIAN') !== (guardianName !== null)) {
    throw ERRORS.BAD_USER_INPUT.err('guardianName is required for method GUARDIAN and only for it', {
      argument: 'guardianName',
      reason: guardianName === null ? 'MISSING_EVIDENCE' : 'INVALID_EVIDENCE',
    });
  }
  if (input.method !== 'ORAL' && !evidenceRef) {
    missingEvidence('evidenceRef', `A ${input.method} consent names its signed form (evidenceRef)`);
  }
  // Evidence of another method would be recorded as nothing: refused rather than dropped unseen.
  const foreign = [
    ...(input.method !== 'ORAL' && witnessStaffId !== null ? ['witnessStaffId'] : []),
    ...(input.method !== 'GUARDIAN' && guardianshipRef !== null ? ['guardianshipRef'] : []),
  ];
  if (foreign.length) {
    throw ERRORS.BAD_USER_INPUT.err(`${foreign[0]} is not evidence of a ${input.method} consent`, {
      argument: foreign[0],
      reason: 'INVALID_EVIDENCE',
    });
  }
  if (input.method === 'ORAL') {
    if (!witnessStaffId) missingEvidence('witnessStaffId', 'An ORAL consent names the staff member who witnessed it');
    if (sameStaff(witnessStaffId, caller.staffId)) {
      throw ERRORS.BAD_USER_INPUT.err('The witness of an ORAL consent is another staff member than the recorder', {
        argument: 'witnessStaffId',
        reason: 'INVALID_EVIDENCE',
      });
    }
  }
  return {
    guardianName,
    evidenceRef,
    witnessStaffId: input.method === 'ORAL' ? witnessStaffId : null,
    guardianshipRef: input.method === 'GUARDIAN' ? guardianshipRef : null,
  };
}

/**
 * A guardian's consent without the court's decision is recorded for a minor and refused for an adult: the answer
 * tells the recorder whether she is of age, a read of her IDENTITY. Logged before it is given, on the basis the
 * recorder holds for it or, holding none, as a party to the consent it records: she is shown who learnt it.
 */
async function recordAgeJudged(context: GatewayContext, info: GraphQLResolveInfo, personId: string): Promise<void> {
  const port = context.policyFor(info.operation.name?.value ?? null);
  const held = (await port.decide([personId], new Set<DataCategory>(['IDENTITY']))).get(personId)?.get('IDENTITY');
  await port.record([{ personId, decisions: new Map([['IDENTITY', held?.allowed ? held : AS_OWN]]) }]);
}

/**
 * Until when a consent holds, given whom it is about. A guardian speaks for a person aged 18 or over (or of
 * unknown age) on the consent's start, or now if it starts earlier, only under the court's decision (成年後見,
 * guardianshipRef): without it, that is MISSING_EVIDENCE. For a minor, a parent's or a minor's guardian's
 * (未成年後見) consent ends when the person comes of age, whatever decision it names: the consent is recorded
 * until then (the end given kept beside it, as shown).
 */
function heldUntil(input: GrantConsentInput, evidence: ConsentEvidence, birthDate: Date | null): Date {
  if (input.method !== 'GUARDIAN') return input.validUntil;
  const born = birthDate?.toISOString().slice(0, 10) ?? null;
  if (born === null || ageOn(born, judgedAt(input.validFrom)) >= ADULT_AGE) {
    if (!evidence.guardianshipRef) {
      missingEvidence(
        'guardianshipRef',
        "A guardian's consent for an adult names the court's decision (guardianshipRef)",
      );
    }
    return input.validUntil;
  }
  const majority = comingOfAge(born, ADULT_AGE);
  return majority < input.validUntil ? majority : input.validUntil;
}

export const consentResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    // The holder's queue: each consent's fields are then released to it as a party (consentPolicy). Who the
    // queue's consents are about, and what they name, is read whichever fields are asked: logged.
    ...readByParties(consentPolicy, {
      consentsAwaitingConfirmation: (
        _: unknown,
        args: { first?: number | null; after?: string | null },
        { caller, hub }: GatewayContext,
      ) => {
        const held = categoriesHeldBy(caller, CATEGORY_NAMES);
        return listPage(args, 'a consent of this queue', ({ first, after }) =>
          hub.consents.awaiting(held, caller.jurisdiction, first, after),
        );
      },
    }),
    async consents(
      _: unknown,
      args: { personId: string; first?: number | null; after?: string | null },
      context,
      info,
    ) {
      const personId = requireUuid(args.personId, 'personId');
      const page = pageOf(args, CONSENT_ITEM, MAX_PAGE);
      const operationName = info.operation.name?.value ?? null;
      const { visible, denied } = await visibleConsents(context, personId, operationName, page);
      if (!denied) return visible;
      // A denied list: null with the denial, or the consents naming the caller (read as its own) with it. To
      // an agency that is a stranger to her (a DV transfer took her beyond its consents' reach), only the
      // denial, as for an id that names no one. A page after the last of those is empty, with the denial.
      const denial = ERRORS.FORBIDDEN.err(denialMessage('WELFARE_CASE', denied), {
        reason: denied,
        category: 'WELFARE_CASE',
        personId,
      });
      const none = !visible.length && page.after === null;
      if (none || (await context.policyFor(operationName).strangers([personId])).has(personId)) throw denial;
      reportAlongside(info, denial);
      return visible;
    },
  },

  // A consent recorded, confirmed or revoked is answered to the agency that did it as its own: logged as read.
  Mutation: readByParties(
    consentPolicy,
    {
      // An agency records a consent it obtained, for a person it serves and has a relationship with; what the
      // consent opens now is what the recorder's own domain holds (the holder lets its data flow).
      async grantConsent(_: unknown, { input }: Args<GrantConsentInput>, context, info) {
        const { caller, hub } = context;
        const personId = requireUuid(input.personId, 'personId');
        const recipientAgencyIds = nonEmptyUnique(input.recipientAgencyIds, 'recipientAgencyIds');
        const categories = nonEmptyUnique(input.categories, 'categories');
        const purpose = requiredText(input.purpose, 'purpose');
        // Shown to the person as X-Hub-Purpose is: one line of plain text, read as it is written.
        if (!isPlainLine(purpose)) {
          throw ERRORS.BAD_USER_INPUT.err('purpose is one line of text, without control or direction characters', {
            argument: 'purpose',
            reason: 'INVALID_TEXT',
          });
        }
        if (input.validUntil <= input.validFrom) {
          throw ERRORS.BAD_USER_INPUT.err('validUntil must be after validFrom', {
            argument: 'validUntil',
            reason: 'INVALID_PERIOD',
          });
        }
        // A guardian's consent is judged on her age when it starts: a start the recorder could set years ahead
        // would let it find her 18th birthday, and so her birth date, by recording again on other days.
        if (input.method === 'GUARDIAN') requireStartSoon(input.validFrom, 'validFrom', "A guardian's consent");
        await requireAgencies(hub, recipientAgencyIds, 'recipientAgencyIds');
        const holderOnly = categoriesOnlyTheHolderRecords(caller, categories);
        if (holderOnly.length) {
          forbidden(`Only an agency of the holding domain records a consent naming ${holderOnly[0]}`, {
            reason: 'NOT_THE_HOLDER',
            category: holderOnly[0],
            personId,
          });
        }
        // The evidence the input gives is checked before anything about the person is read (the relationship's
        // read is logged); jurisdiction and the relationship before her age, for the evidence a guardian gives:
        // without them, a resident and an id that names no one, a child and an adult, are refused alike.
        const evidence = consentEvidence(input, caller);
        const resident = (await hub.residents.registered([personId])).get(personId);
        requireJurisdiction(caller, resident?.municipalityCode ?? null, personId);
        if (!(await hasRelationship(context, personId))) {
          forbidden('Only an agency with a relationship to the person records a consent for them', {
            reason: 'NO_RELATIONSHIP',
            personId,
          });
        }
        if (input.method === 'GUARDIAN' && !evidence.guardianshipRef) await recordAgeJudged(context, info, personId);
        const validUntil = heldUntil(input, evidence, resident?.birthDate ?? null);
        // Ended earlier by her age: the end given is the one shown (the day she comes of age is her birth date).
        const statedUntil = validUntil < input.validUntil ? input.validUntil : null;
        return hub.consents.grant({
          personId,
          recipientAgencyIds,
          categories,
          purpose,
          validFrom: input.validFrom,
          validUntil,
          statedUntil,
          method: input.method,
          ...evidence,
          confirmedCategories: categoriesHeldBy(caller, categories),
          obtainedBy: caller.agencyId,
          obtainedByStaff: caller.staffId,
        });
      },

      // 個人情報保護法: the organ that holds the data decides on its provision; it confirms its categories.
      async confirmConsent(_: unknown, args: { id: string; categories: DataCategory[] }, context) {
        const { caller, hub } = context;
        const id = requireUuid(args.id, 'id');
        const categories = nonEmptyUnique(args.categories, 'categories');
        const notHeld = categories.filter((c) => !categoriesHeldBy(caller, [c]).length);
        if (notHeld.length) {
          forbidden(`Only an agency of the domain holding ${notHeld[0]} confirms it`, {
            reason: 'NOT_THE_HOLDER',
            category: notHeld[0],
          });
        }
        const consent = await consentKnownTo(context, id, 'confirm');
        requireJurisdiction(caller, consent.municipality, consent.personId);
        return hub.consents.confirm(id, categories, caller, (current) => {
          const outside = categories.filter((c) => !current.categories.includes(c));
          if (outside.length) {
            throw ERRORS.BAD_USER_INPUT.err(`The consent does not name ${outside[0]}`, {
              argument: 'categories',
              reason: 'CATEGORY_NOT_IN_CONSENT',
            });
          }
          // A consent that has not started yet may be confirmed ahead; a revoked or expired one opens nothing.
          if (hasEnded(current)) {
            throw ERRORS.BAD_USER_INPUT.err('A revoked or expired consent is not confirmed', {
              argument: 'id',
              reason: 'CONSENT_NOT_ACTIVE',
            });
          }
        });
      },

      async revokeConsent(_: unknown, args: { id: string; reason: string }, context) {
        const { caller, hub } = context;
        const id = requireUuid(args.id, 'id');
        const reason = requiredText(args.reason, 'reason');
        const { municipality } = await consentKnownTo(context, id, 'revoke');
        return hub.consents.revoke(id, caller.agencyId, reason, (current) => {
          // A WELFARE agency revokes for the persons it serves, any other agency what it obtained.
          if (!mayRevokeConsent(caller, current, municipality)) {
            notARevoker(caller.domain === 'WELFARE' ? 'OUTSIDE_JURISDICTION' : 'NOT_THE_OBTAINER');
          }
        });
      },
    },
    { byActor: true },
  ),

  Consent: {
    ...guardedFields(consentPolicy, [
      'purpose',
      'guardianName',
      'evidenceRef',
      'witnessStaffId',
      'guardianshipRef',
      'revocationReason',
    ]),
    ...guardedFields(consentPolicy, ['recipients', 'recipientAgencyIds'], {
      recipients: async (consent: ConsentRow, _: never, { hub }) =>
        (await loadEvery(hub.agency, consent.recipientAgencyIds)).filter(
          (agency): agency is AgencyRow => agency !== null,
        ),
    }),
    obtainedBy: (consent: ConsentRow, _: unknown, { hub }) => hub.agency.load(consent.obtainedBy),
    // The end as recorded: one a minor's coming of age brings forward is not shown, since it tells her birth
    // date (IDENTITY) to agencies that may not read it; `active` says whether the consent holds now.
    validUntil: (consent: ConsentRow) => consent.statedUntil ?? consent.validUntil,
    active: (consent: ConsentRow) => isActiveNow(consent.validFrom, consent.validUntil, consent.revokedAt),
    // What the consent opens now: nothing once revoked or expired, or before it starts. What its holders
    // confirmed stays readable as the categories not awaitingConfirmation.
    confirmedCategories: (consent: ConsentRow) =>
      isActiveNow(consent.validFrom, consent.validUntil, consent.revokedAt) ? consent.confirmedCategories : [],
    // What a holder may still confirm: nothing once revoked or expired (confirmConsent refuses it then, as
    // the queue leaves it out); one not started yet may be confirmed ahead.
    awaitingConfirmation: (consent: ConsentRow) =>
      hasEnded(consent) ? [] : consent.categories.filter((c) => !consent.confirmedCategories.includes(c)),
  },
};
