// Which mutations an agency of another domain may send, what it gets back, and what the gateway checks
// before anything is sent: a table of rules (data, not branches) and the pure checks that read it.

import { DOMAINS, type DataCategory, type Domain } from '@hub/platform';
import { CHILD_AGE_LIMIT, EXPECTANT_AGES, type SubjectAge, type WithinAgesOf } from './age-rules.js';
import type { Decision, DenialReason, LegalBasis } from '../policy/decide.js';

/**
 * What a caller of another domain than the owner gets back:
 * - `receipt`: every categorized field is taken out (FORBIDDEN), so the sender sees its receipt only;
 * - `decided`: the returned person data is decided for the caller like any read.
 */
export type CrossDomainAnswer = 'receipt' | 'decided';

/** A record a mutation acts on, of `input.personId`, held by the caller: its open DV case. */
export type HeldRecord = 'OPEN_DV_CASE';

/** What a refusal of a record the caller does not hold says: the subgraph's own words for it. */
export const NOT_HELD: Readonly<Record<HeldRecord, string>> = {
  OPEN_DV_CASE: 'No open DV case of that person held by the calling agency',
};

/** Whose basis a precondition asks for: the caller's, or the agency an input field names. */
export type BasisHolder = { readonly kind: 'caller' } | { readonly kind: 'namedAgency'; readonly input: string };

/** A basis about `input.personId` that must hold now, before the mutation is sent. */
export interface BasisPrecondition {
  readonly categories: readonly DataCategory[];
  readonly holder: BasisHolder;
  /** Only these bases count (e.g. the person's consent, where no domain, meeting or emergency may stand in); default any. */
  readonly bases?: readonly LegalBasis[];
}

/** An agency named in the input must be registered, of one of these domains (and elsewhere, if asked). */
export interface NamedAgencyRule {
  /** The input field naming it: a path through lists too (`roles.agencyId`: every role's agency). */
  readonly input: string;
  /** The argument a refusal names, when not `input` itself (`roles` for `roles.agencyId`). */
  readonly argument?: string;
  readonly domains: readonly Domain[];
  /** `BAD_USER_INPUT` reason when the named agency is unknown or of another domain. */
  readonly reason: string;
  /** The input may leave it out (null or absent): then nothing is checked. */
  readonly optional?: true;
  /** `BAD_USER_INPUT` reason when it names the calling agency itself (a co-assessor is another agency). */
  readonly notTheCaller?: string;
  /**
   * A move across municipalities: where the named agency takes the person (the municipality `input` names,
   * or the agency's only one) must be another than where she is registered now.
   */
  readonly otherMunicipality?: { readonly reason: string; readonly municipalityInput: string };
  /**
   * The named agency acts for the person (a co-assessor screens her, and a referral it opens is handed to
   * it): it must serve the municipality she is registered in (CONTRACT.md v2 jurisdiction), else
   * `BAD_USER_INPUT` with this reason.
   */
  readonly servesPerson?: string;
}

/**
 * What the hub's register of residents learns once the subgraph has done the mutation: a person registered
 * (where, and born when), or moved to another municipality by a DV transfer.
 */
export type RegisterEffect =
  | { readonly kind: 'register'; readonly municipalityInput: string; readonly birthDateInput: string }
  | {
      readonly kind: 'move';
      readonly toAgencyInput: string;
      readonly toMunicipalityInput: string;
      /** The input naming the persons who move with her (her children fleeing with her), each on the same terms. */
      readonly companionsInput?: string;
    };

/** The persons a move takes with her, as the input names them (each once, in lower case); [] when it names none. */
export function companionsOf(effect: RegisterEffect, input: Readonly<Record<string, unknown>>): string[] {
  const named = effect.kind === 'move' && effect.companionsInput ? input[effect.companionsInput] : undefined;
  const ids = Array.isArray(named) ? named : named == null ? [] : [named];
  return [...new Set(ids.map((id) => String(id).toLowerCase()))];
}

export interface MutationRule {
  /** The owning subgraph's domain: its agencies may always send the mutation. */
  readonly owner: Domain;
  /** Caller domains that may send it besides the owner: `'ANY'` for a duty of every agency. */
  readonly from: readonly Domain[] | 'ANY';
  readonly answer: CrossDomainAnswer;
  readonly namedAgencies?: readonly NamedAgencyRule[];
  readonly requires?: BasisPrecondition;
  /**
   * The input's free text, checked as its subgraph checks it (packages/platform input.ts) before the
   * precondition's basis is decided: text the subgraph would refuse is refused before a decision is logged
   * for a mutation that then does nothing.
   */
  readonly freeText?: readonly string[];
  /**
   * The record the mutation acts on, which must be the caller's own: checked (the hub's own read of the
   * subgraph) before the precondition's basis is decided, and refused NOT_FOUND as the subgraph refuses it,
   * so a mutation that would do nothing leaves no decision in the log.
   */
  readonly callerHolds?: HeldRecord;
  readonly registers?: RegisterEffect;
  /**
   * The record it acts on is addressed to the caller (a report in its queue): what it returns is the
   * caller's own wherever the person lives, as its queue is (own-reads.ts), and logged as such.
   */
  readonly addressedToCaller?: true;
  /**
   * The caller records about the person in another domain's system: only for a person it serves (CONTRACT.md
   * v2 jurisdiction), an id that names no one refused alike (OUTSIDE_JURISDICTION). A basis to read is not
   * the standing to record.
   */
  readonly servedOnly?: true;
  /** The ages the person must be of, each as its Act has it: the first broken is the refusal. */
  readonly subjectAges?: readonly SubjectAge[];
  /** The ages the record the input names is for, which the person must be of. */
  readonly withinAgesOf?: WithinAgesOf;
}

/**
 * Every agency a case's record names takes part in it (a plan's roles, a review's or a closure's
 * participants): each must be an agency of the register, not switched off.
 */
const CASE_PARTICIPANTS = (input: string, argument: string): NamedAgencyRule => ({
  input,
  argument,
  domains: DOMAINS,
  reason: 'UNKNOWN_AGENCY',
});

/** Every mutation not listed here is sent only by an agency of its subgraph's own domain (NOT_OWN_DOMAIN). */
export const MUTATION_RULES: Readonly<Record<string, MutationRule>> = {
  // 住民の登録: the municipality's welfare office registers a resident of a municipality it serves; the hub's
  // register then knows where the person lives, which is where own-domain access ends (CONTRACT.md rule 1).
  registerPerson: {
    owner: 'WELFARE',
    from: [],
    answer: 'decided',
    registers: { kind: 'register', municipalityInput: 'municipalityCode', birthDateInput: 'birthDate' },
  },
  // 高年齢者雇用安定法 37条: a Silver Human Resources Centre offers work to 高年齢退職者; a 高年齢者 is 55 or over
  // (施行規則 1条). A centre's articles (定款) usually say 60, which participation matching uses; the hub holds
  // every centre to the Act.
  registerSilverMembership: {
    owner: 'SENIORS_WORK',
    from: [],
    answer: 'decided',
    subjectAges: [
      {
        atLeast: 55,
        reason: 'NOT_AN_OLDER_PERSON',
        message: 'A silver centre member is an older person (高年齢者, 55 or over): not this person',
      },
    ],
  },
  // An opening's age limits are its terms (労働施策総合推進法 9条 and its exceptions: a minor kept from night or
  // dangerous work, 労働基準法 61・62条; openings for those of 60 and over): a placement is of a person of them
  // today (a start ahead of her birthday waits for it).
  recordPlacement: {
    owner: 'EMPLOYMENT',
    from: [],
    answer: 'decided',
    withinAgesOf: { record: 'JOB_OPENING', input: 'openingId' },
  },
  // An eco activity's minimum age (outdoor work, tools) holds for whoever enrols.
  enroll: {
    owner: 'ENVIRONMENT',
    from: [],
    answer: 'decided',
    withinAgesOf: { record: 'PARTICIPATION_OPPORTUNITY', input: 'opportunityId' },
  },
  // 児童福祉法 4条: a 児童 is under 18. A child-welfare case is opened for a child, or for a specified expectant
  // mother (特定妊婦, 6条の3⑤) of an age to be one, as a child council takes her; a case kept open past 18
  // (措置延長) was opened before.
  openChildWelfareCase: {
    owner: 'CHILD_DV',
    from: [],
    answer: 'decided',
    subjectAges: [
      {
        under: CHILD_AGE_LIMIT,
        unless: { input: 'classification', values: ['SPECIFIED_EXPECTANT_MOTHER'] },
        reason: 'NOT_A_CHILD',
        message:
          'A child-welfare case is opened for a child (児童, under 18) or a specified expectant mother: not this person',
      },
      {
        atLeast: EXPECTANT_AGES.from,
        under: EXPECTANT_AGES.below,
        only: { input: 'classification', values: ['SPECIFIED_EXPECTANT_MOTHER'] },
        reason: 'NOT_OF_EXPECTANT_AGE',
        message: `A specified expectant mother is of ${EXPECTANT_AGES.from} to ${EXPECTANT_AGES.below - 1}: not this person`,
      },
    ],
  },
  // 児童虐待防止法 6条: whoever finds a child thought to be abused must report it (通告); DV防止法 6条①: whoever
  // finds violence by a spouse is to endeavour to report it (通報). To the child guidance centre or DV centre
  // it names; no consent is needed, and the reporter sees only its receipt.
  recordAbuseReport: {
    owner: 'CHILD_DV',
    from: 'ANY',
    answer: 'receipt',
    namedAgencies: [{ input: 'receivingAgencyId', domains: ['CHILD_DV'], reason: 'RECEIVER_NOT_CHILD_DV' }],
  },
  // 児童虐待防止法 6条: the agency a report names works it wherever the person lives (it passes on what is not
  // its area's, for a refusal to take it would tell the reporter where a DV victim went); the report it
  // triages comes back to it as its own, as its queue does.
  triageAbuseReport: { owner: 'CHILD_DV', from: [], answer: 'decided', addressedToCaller: true },
  // 別添2 6(1)(ア): the window's assessment names as co-assessor the collaborator that screened her with it,
  // a welfare agency serving her town; it marks a joint screening.
  recordRiskAssessment: {
    owner: 'SUICIDE_PREVENTION',
    from: [],
    answer: 'decided',
    namedAgencies: [
      {
        input: 'coAssessorAgencyId',
        domains: ['WELFARE'],
        reason: 'CO_ASSESSOR_NOT_WELFARE',
        optional: true,
        servesPerson: 'CO_ASSESSOR_OUTSIDE_JURISDICTION',
      },
    ],
  },
  // 別添2 6(1)(ア)–(ウ): the multi-agency collaborator screens suicide risk together with the window, on a
  // basis for the person's mental health (consent, or a support meeting sharing it). The window follows the
  // referral a high level opens: it serves her town, or it could not even read her.
  recordJointScreening: {
    owner: 'SUICIDE_PREVENTION',
    from: ['WELFARE'],
    answer: 'decided',
    namedAgencies: [
      {
        input: 'coAssessorAgencyId',
        domains: ['SUICIDE_PREVENTION'],
        reason: 'CO_ASSESSOR_NOT_SUICIDE_PREVENTION',
        notTheCaller: 'CO_ASSESSOR_IS_ASSESSOR',
        servesPerson: 'CO_ASSESSOR_OUTSIDE_JURISDICTION',
      },
    ],
    requires: { categories: ['MENTAL_HEALTH'], holder: { kind: 'caller' } },
    freeText: ['note'],
    servedOnly: true,
  },
  // 別添3 4(1): a DV case moves to the destination municipality only with the person's consent naming it
  // and the whereabouts explicitly (DOMAIN.md §4.8); no domain, meeting or emergency stands in for it. The
  // destination may be a welfare office (福祉事務所, often the town's DV consultation point, DV防止法 3条②):
  // holding the case, it moves it on as a DV agency does.
  transferDvCase: {
    owner: 'CHILD_DV',
    from: ['WELFARE'],
    answer: 'decided',
    namedAgencies: [
      {
        input: 'toAgencyId',
        domains: ['CHILD_DV', 'WELFARE'],
        reason: 'DESTINATION_NOT_DV_SUPPORT',
        notTheCaller: 'TRANSFER_TO_SELF',
        otherMunicipality: { reason: 'DESTINATION_SAME_MUNICIPALITY', municipalityInput: 'toMunicipalityCode' },
      },
    ],
    requires: {
      categories: ['DV_LOCATION'],
      holder: { kind: 'namedAgency', input: 'toAgencyId' },
      bases: ['CONSENT'],
    },
    freeText: ['note'],
    callerHolds: 'OPEN_DV_CASE',
    // On completion she is registered in the destination's municipality: the one she left holds nothing of her;
    // nor of the children who fled with her (同伴児), each moved on their own consent as she is on hers.
    registers: {
      kind: 'move',
      toAgencyInput: 'toAgencyId',
      toMunicipalityInput: 'toMunicipalityCode',
      companionsInput: 'accompanyingPersonIds',
    },
    servedOnly: true,
  },
  // The agency holding her open DV case records where it stands and closes it: a welfare office a transfer
  // made its holder too, or the case (and the protection of her disclosure view) would stay open for good.
  updateDvCase: {
    owner: 'CHILD_DV',
    from: ['WELFARE'],
    answer: 'decided',
    callerHolds: 'OPEN_DV_CASE',
    servedOnly: true,
  },
  // Where she now lives is written into her open case by its holder alone, a welfare office a transfer made
  // its holder too (the subgraph refuses anyone else NOT_FOUND, as it refuses an unknown case). Its input
  // names the case, not her, so the sender of another domain gets its receipt; it reads the address as any
  // read, on her consent naming DV_LOCATION.
  recordWhereabouts: {
    owner: 'CHILD_DV',
    from: ['WELFARE'],
    answer: 'receipt',
  },
  // 別添2 6(1): the plan shares the parts among agencies, and its review and the closure name who took
  // part: agencies of the register, which the welfare system itself does not hold.
  draftSupportPlan: {
    owner: 'WELFARE',
    from: [],
    answer: 'decided',
    namedAgencies: [CASE_PARTICIPANTS('roles.agencyId', 'roles')],
  },
  reviewSupportPlan: {
    owner: 'WELFARE',
    from: [],
    answer: 'decided',
    namedAgencies: [CASE_PARTICIPANTS('participantAgencyIds', 'participantAgencyIds')],
  },
  closeCase: {
    owner: 'WELFARE',
    from: [],
    answer: 'decided',
    namedAgencies: [CASE_PARTICIPANTS('participantAgencyIds', 'participantAgencyIds')],
  },
};

export function mutationRule(field: string): MutationRule | undefined {
  return Object.hasOwn(MUTATION_RULES, field) ? MUTATION_RULES[field] : undefined;
}

/**
 * Whether the rule asks anything of the gateway before the mutation is sent: an agency the input names, a
 * basis, a record the caller holds, a person the caller serves, or an age. A rule of domains and answer only
 * is held by `maySend` and the answer's decision alone.
 */
export function checksBeforeSending(rule: MutationRule): boolean {
  return Boolean(
    rule.namedAgencies?.length ||
    rule.requires ||
    rule.callerHolds ||
    rule.servedOnly ||
    rule.subjectAges ||
    rule.withinAgesOf,
  );
}

/** Whether an agency of `callerDomain` may send this mutation to the subgraph of `subgraphDomain`. */
export function maySend(rule: MutationRule | undefined, callerDomain: Domain, subgraphDomain: Domain): boolean {
  if (callerDomain === subgraphDomain) return true;
  if (!rule || rule.owner !== subgraphDomain) return false;
  return rule.from === 'ANY' || rule.from.includes(callerDomain);
}

/** Where a registration or a move puts the person, or why the input cannot say (BAD_USER_INPUT reason). */
export function registeredMunicipality(
  effect: RegisterEffect,
  input: Readonly<Record<string, unknown>>,
  register: ReadonlyMap<string, RegisteredAgency>,
): { readonly municipalityCode: string } | InputRefusal {
  if (effect.kind === 'register') {
    const code = input[effect.municipalityInput];
    if (typeof code !== 'string') return { input: effect.municipalityInput, reason: 'MUNICIPALITY_REQUIRED' };
    // A 全国地方公共団体コード is six digits: anything else is input to mend, not a town the caller does not serve.
    return /^\d{6}$/.test(code)
      ? { municipalityCode: code }
      : { input: effect.municipalityInput, reason: 'INVALID_MUNICIPALITY_CODE' };
  }
  const destination = register.get(String(input[effect.toAgencyInput]));
  if (!destination) return { input: effect.toAgencyInput, reason: 'DESTINATION_NOT_DV_SUPPORT' };
  const named = input[effect.toMunicipalityInput];
  if (typeof named === 'string') {
    // As a registration's: a code that is no code is input to mend, before whether the destination serves it.
    if (!/^\d{6}$/.test(named)) return { input: effect.toMunicipalityInput, reason: 'INVALID_MUNICIPALITY_CODE' };
    return destination.jurisdiction.includes(named)
      ? { municipalityCode: named }
      : { input: effect.toMunicipalityInput, reason: 'DESTINATION_DOES_NOT_SERVE' };
  }
  // A destination serving several municipalities must be told which one she moves to.
  return destination.jurisdiction.length === 1
    ? { municipalityCode: destination.jurisdiction[0]! }
    : { input: effect.toMunicipalityInput, reason: 'DESTINATION_MUNICIPALITY_REQUIRED' };
}

/** An agency of the register as the checks need it. */
export interface RegisteredAgency {
  readonly id: string;
  readonly domain: Domain;
  readonly municipalityCode: string;
  readonly jurisdiction: readonly string[];
  /** Switched off by a hub administrator: nothing is sent to it. */
  readonly deactivated?: boolean;
}

export interface InputRefusal {
  readonly input: string;
  readonly reason: string;
  /** The argument the refusal names, when not `input` itself. */
  readonly argument?: string;
  /** What the refusal says, when it is not that `input` names no agency this can be sent to. */
  readonly message?: string;
}

/** The first named agency that breaks its rule, or null when all hold. */
export function namedAgencyRefusal(
  rule: MutationRule,
  input: Readonly<Record<string, unknown>>,
  register: ReadonlyMap<string, RegisteredAgency>,
  /**
   * Where the register has the person the input names now, when the caller serves that municipality (and so
   * knows it already): no refusal may tell anyone else where she lives.
   */
  registeredIn: string | undefined,
  /** The calling agency, which a `notTheCaller` input may not name. */
  callerAgencyId?: string,
): InputRefusal | null {
  for (const named of rule.namedAgencies ?? []) {
    for (const id of namedValues(input, named.input)) {
      if (named.optional && (id === undefined || id === null)) continue;
      const agency = typeof id === 'string' ? register.get(id) : undefined;
      const refused = { input: named.input, ...(named.argument ? { argument: named.argument } : {}) };
      if (!agency || !named.domains.includes(agency.domain)) return { ...refused, reason: named.reason };
      if (agency.deactivated) return { ...refused, reason: 'AGENCY_DEACTIVATED' };
      if (named.notTheCaller && id === callerAgencyId) {
        return {
          ...refused,
          reason: named.notTheCaller,
          message: `${named.input} names the caller: it must name another agency`,
        };
      }
      // Unknown where she lives (the caller does not serve her, and was refused before for that), it is refused too.
      if (named.servesPerson && (registeredIn === undefined || !agency.jurisdiction.includes(registeredIn))) {
        return {
          ...refused,
          reason: named.servesPerson,
          message: `${named.input} names an agency that does not serve the person's municipality`,
        };
      }
    }
    // A move names one destination: the agency the loop above found registered.
    const move = named.otherMunicipality;
    const agency = move ? register.get(String(input[named.input])) : undefined;
    if (move && agency) {
      const stated = input[move.municipalityInput];
      const to = typeof stated === 'string' ? stated : agency.jurisdiction.length === 1 ? agency.jurisdiction[0] : null;
      // Unnamed at a destination serving several, it is refused as required, and one it does not serve as
      // not served, when the move is planned.
      if (to != null && to === registeredIn && agency.jurisdiction.includes(to))
        return {
          input: typeof stated === 'string' ? move.municipalityInput : named.input,
          reason: move.reason,
          message: 'The destination is in the municipality the person is registered in now',
        };
    }
  }
  return null;
}

/**
 * The values an input path names: `toAgencyId` is one value (undefined when absent), a list field its
 * items, and `roles.agencyId` the field of every item of `roles`.
 */
export function namedValues(input: Readonly<Record<string, unknown>>, path: string): unknown[] {
  return path.split('.').reduce<unknown[]>(
    (values, key) =>
      values.flatMap((value) => {
        const next =
          value && typeof value === 'object' && !Array.isArray(value)
            ? (value as Record<string, unknown>)[key]
            : undefined;
        return Array.isArray(next) ? next : [next];
      }),
    [input],
  );
}

/** The bases a precondition accepts, or undefined for any. */
export function acceptedBases(precondition: BasisPrecondition): ReadonlySet<LegalBasis> | undefined {
  return precondition.bases ? new Set(precondition.bases) : undefined;
}

export interface PreconditionRefusal {
  readonly category: DataCategory;
  readonly reason: DenialReason;
}

/** The first category of the precondition the decisions deny, or null when every one is allowed. */
export function preconditionRefusal(
  precondition: BasisPrecondition,
  decisions: ReadonlyMap<DataCategory, Decision>,
): PreconditionRefusal | null {
  for (const category of precondition.categories) {
    const decision = decisions.get(category);
    if (!decision) return { category, reason: 'NO_LEGAL_BASIS' };
    if (!decision.allowed) return { category, reason: decision.reason };
  }
  return null;
}
