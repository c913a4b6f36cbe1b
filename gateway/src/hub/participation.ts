// 参加支援 — participation matching: open opportunities across the seniors' work centres, the eco
// projects and Hello Work's diverse openings, ranked against the person's recorded wishes and
// constraints. The inputs are read through the gateway as the caller, so the ranking uses only what
// the caller may see (each read decided and audited like any other); what it may not see is named in
// `notConsidered` and left out of the ranking, never guessed at.

import {
  ERRORS,
  ageOn,
  oncePerRequest,
  requireUuid,
  type DataCategory,
  type GraphQLResolverMap,
  pageSize,
} from '@hub/platform';
import type { ExecutionOutcome, GatewayContext } from '../context.js';

export type ParticipationWish =
  'PAID_WORK' | 'LIGHT_WORK' | 'VOLUNTEER' | 'ENVIRONMENT' | 'PLACE_TO_BELONG' | 'LEARNING' | 'WORK_EXPERIENCE';
export type PreferredSetting = 'INDOOR' | 'OUTDOOR' | 'EITHER';
export type ParticipationSource = 'SILVER_WORK_OFFER' | 'ECO_OPPORTUNITY' | 'JOB_OPENING';

export interface ParticipationProfile {
  readonly wishes: readonly ParticipationWish[];
  readonly maxHoursPerWeek: number | null;
  readonly setting: PreferredSetting | null;
  readonly nearArea: string | null;
}

/** One open opportunity, whichever system offers it. */
export interface Opportunity {
  readonly source: ParticipationSource;
  readonly opportunityId: string;
  readonly title: string;
  readonly provider: string;
  readonly hoursPerWeek: number;
  readonly outdoor: boolean;
  readonly location: string;
  readonly minAge: number | null;
  readonly maxAge: number | null;
  /** The wishes this kind of opportunity answers. */
  readonly answers: readonly ParticipationWish[];
  /** The mutation, in the owning subgraph, that enrols the person. */
  readonly enrolVia: string;
}

export interface ParticipationMatch extends Omit<Opportunity, 'minAge' | 'maxAge' | 'answers'> {
  readonly score: number;
  readonly explanation: readonly string[];
}

/** Silver Human Resources Centres take members of 60 and over: the usual condition of their articles (定款), not of the Act. */
const SILVER_MIN_AGE = 60;

/**
 * A place name as typed and as a catalogue writes it, folded alike: NFKC (half-width ｶﾅ, full-width digits, a
 * voiced kana typed as two code points) and no spaces, the ideographic space an input method types included.
 */
const foldedForMatch = (text: string): string => text.normalize('NFKC').replace(/\s+/gu, '');

/**
 * Ranks opportunities for one person. Hard constraints (age limits, the person's maximum hours) leave an
 * opportunity out; wishes, setting and area add to its score. A constraint that is unknown (not recorded,
 * or not visible to the caller) is neither applied nor guessed: the explanation says so once.
 */
export function rankParticipation(
  profile: ParticipationProfile | null,
  age: number | null,
  opportunities: readonly Opportunity[],
): ParticipationMatch[] {
  const matches: ParticipationMatch[] = [];
  for (const o of opportunities) {
    const explanation: string[] = [];
    let score = 0;
    if (age !== null) {
      if (o.minAge !== null && age < o.minAge) continue;
      if (o.maxAge !== null && age > o.maxAge) continue;
      if (o.minAge !== null || o.maxAge !== null) explanation.push('年齢要件を満たす — meets the age requirement');
    }
    const maxHours = profile?.maxHoursPerWeek ?? null;
    if (maxHours !== null) {
      if (o.hoursPerWeek > maxHours) continue;
      explanation.push(`週${o.hoursPerWeek}時間（上限${maxHours}時間以内） — within the hours the person can manage`);
      score += o.hoursPerWeek <= maxHours / 2 ? 2 : 1;
    }
    const wished = profile ? o.answers.filter((w) => profile.wishes.includes(w)) : [];
    if (wished.length) {
      score += 3 * wished.length;
      explanation.push(`本人の希望に合う（${wished.join(', ')}） — answers the person's wishes`);
    }
    const setting = profile?.setting ?? null;
    if (setting === 'OUTDOOR' || setting === 'INDOOR') {
      if ((setting === 'OUTDOOR') === o.outdoor) {
        score += 2;
        explanation.push(o.outdoor ? '屋外の希望に合う — outdoor, as wished' : '屋内の希望に合う — indoor, as wished');
      } else {
        score -= 2;
        explanation.push(
          o.outdoor ? '屋外（希望は屋内） — outdoor, indoor wished' : '屋内（希望は屋外） — indoor, outdoor wished',
        );
      }
    }
    const area = profile?.nearArea?.trim() || null;
    if (area && foldedForMatch(o.location).includes(foldedForMatch(area))) {
      score += 2;
      explanation.push(`生活圏域内（${area}） — within reach`);
    }
    matches.push({
      source: o.source,
      opportunityId: o.opportunityId,
      title: o.title,
      provider: o.provider,
      hoursPerWeek: o.hoursPerWeek,
      outdoor: o.outdoor,
      location: o.location,
      enrolVia: o.enrolVia,
      score,
      explanation,
    });
  }
  return matches.sort((a, b) => b.score - a.score || a.hoursPerWeek - b.hoursPerWeek || a.title.localeCompare(b.title));
}

/** A register's page: the most its list answers at once. */
const CATALOGUE_PAGE = 200;
/** The pages read of each register: matching ranks among the first 2,000 it lists. */
const CATALOGUE_PAGES = 10;

/**
 * The operations matching reads, through the gateway, as the caller: the person's inputs, and the three
 * registers page by page, each page small enough for the gateway's cost limit, the four run side by side
 * (always trusted documents).
 */
export const PARTICIPATION_OPERATIONS = {
  person: /* GraphQL */ `
    query ParticipationPerson($personId: ID!) {
      person(id: $personId) {
        id
        birthDate
        participationProfile {
          wishes
          maxHoursPerWeek
          setting
          nearArea
        }
      }
    }
  `,
  workOffers: /* GraphQL */ `
    query ParticipationWorkOffers($after: ID) {
      workOffers(first: 200, after: $after) {
        id
        title
        centreName
        hoursPerWeek
        location
        outdoor
        slots
      }
    }
  `,
  participationOpportunities: /* GraphQL */ `
    query ParticipationEcoSlots($after: ID) {
      participationOpportunities(openOnly: true, first: 200, after: $after) {
        id
        title
        hoursPerWeek
        outdoor
        minAge
        capacity
        hasPlaces
        project {
          name
          municipality
          operator
        }
      }
    }
  `,
  jobOpenings: /* GraphQL */ `
    query ParticipationDiverseOpenings($after: ID) {
      jobOpenings(diverseOnly: true, first: 200, after: $after) {
        id
        title
        employer
        workStyle
        hoursPerWeek
        location
        outdoor
        minAge
        maxAge
        openings
      }
    }
  `,
} as const;

interface Inputs {
  person: {
    id: string;
    birthDate: string | null;
    participationProfile: ParticipationProfile | null;
  } | null;
  workOffers: {
    id: string;
    title: string;
    centreName: string;
    hoursPerWeek: number;
    location: string;
    outdoor: boolean;
    slots: number;
  }[];
  participationOpportunities: {
    id: string;
    title: string;
    hoursPerWeek: number;
    outdoor: boolean;
    minAge: number | null;
    capacity: number;
    hasPlaces: boolean | null;
    project: { name: string; municipality: string; operator: string };
  }[];
  jobOpenings: {
    id: string;
    title: string;
    employer: string;
    workStyle: string;
    hoursPerWeek: number;
    location: string;
    outdoor: boolean;
    minAge: number | null;
    maxAge: number | null;
    openings: number;
  }[];
}

/** The open opportunities of the three systems, in one shape. */
function opportunitiesOf(inputs: Inputs): Opportunity[] {
  return [
    ...inputs.workOffers
      .filter((o) => o.slots > 0)
      .map((o): Opportunity => ({
        source: 'SILVER_WORK_OFFER',
        opportunityId: o.id,
        title: o.title,
        provider: o.centreName,
        hoursPerWeek: o.hoursPerWeek,
        outdoor: o.outdoor,
        location: o.location,
        minAge: SILVER_MIN_AGE,
        maxAge: null,
        answers: ['LIGHT_WORK', 'PAID_WORK'],
        enrolVia: 'assignWork',
      })),
    ...inputs.participationOpportunities
      // null: too few places to say (秘匿処理); an enrolment in a full one is refused with a clear error.
      .filter((o) => o.hasPlaces !== false)
      .map((o): Opportunity => ({
        source: 'ECO_OPPORTUNITY',
        opportunityId: o.id,
        title: `${o.project.name}：${o.title}`,
        provider: o.project.operator,
        hoursPerWeek: o.hoursPerWeek,
        outdoor: o.outdoor,
        location: o.project.municipality,
        minAge: o.minAge,
        maxAge: null,
        answers: ['ENVIRONMENT', 'VOLUNTEER', 'PLACE_TO_BELONG', 'WORK_EXPERIENCE'],
        enrolVia: 'enroll',
      })),
    ...inputs.jobOpenings
      .filter((o) => o.openings > 0)
      .map((o): Opportunity => ({
        source: 'JOB_OPENING',
        opportunityId: o.id,
        title: o.title,
        provider: o.employer,
        hoursPerWeek: o.hoursPerWeek,
        outdoor: o.outdoor,
        location: o.location,
        minAge: o.minAge,
        maxAge: o.maxAge,
        answers:
          o.workStyle === 'INTERMEDIATE_WORK'
            ? ['LIGHT_WORK', 'PAID_WORK', 'WORK_EXPERIENCE']
            : o.workStyle === 'SHORT_HOURS'
              ? ['LIGHT_WORK', 'PAID_WORK']
              : ['PAID_WORK'],
        enrolVia: 'recordPlacement',
      })),
  ];
}

const MAX_MATCHES = 50;

export type Catalogue = 'workOffers' | 'participationOpportunities' | 'jobOpenings';
const CATALOGUES: readonly Catalogue[] = ['workOffers', 'participationOpportunities', 'jobOpenings'];
const SOURCE_OF: Readonly<Record<Catalogue, ParticipationSource>> = {
  workOffers: 'SILVER_WORK_OFFER',
  participationOpportunities: 'ECO_OPPORTUNITY',
  jobOpenings: 'JOB_OPENING',
};

export interface CatalogueRead extends ExecutionOutcome<Partial<Inputs>> {
  /** The register lists more than the CATALOGUE_PAGES pages read (or could not tell): the rest was not read. */
  readonly cut?: true;
}

/**
 * One register read page by page, each asked after the last item of the one before, until a page comes back
 * short or CATALOGUE_PAGES were read, and then one more tells whether it lists more (`cut`). An item a page
 * was asked after that is gone since (taken out of the register, or no longer listed) is INVALID_CURSOR: the
 * register is read again from its first page, once. Any other error of a page ends the read and is answered as
 * it came.
 */
export async function readCatalogue(execute: GatewayContext['execute'], name: Catalogue): Promise<CatalogueRead> {
  const items: { id: string }[] = [];
  let after: string | null = null;
  let readAgain = true;
  for (let page = 0; page < CATALOGUE_PAGES; page++) {
    const result: ExecutionOutcome<Partial<Inputs>> = await execute(PARTICIPATION_OPERATIONS[name], { after });
    const gone = after !== null && result.errors?.some((error) => error.extensions?.['reason'] === 'INVALID_CURSOR');
    if (gone && readAgain) {
      readAgain = false;
      items.length = 0;
      after = null;
      page = -1;
      continue;
    }
    const list: readonly { id: string }[] | undefined = result.data?.[name];
    if (result.errors?.length || !list) return result;
    items.push(...list);
    if (list.length < CATALOGUE_PAGE) return { data: { [name]: items } };
    after = list[list.length - 1]!.id;
  }
  const more: ExecutionOutcome<Partial<Inputs>> = await execute(PARTICIPATION_OPERATIONS[name], { after });
  const cut = Boolean(more.errors?.length) || (more.data?.[name]?.length ?? 0) > 0;
  return cut ? { data: { [name]: items }, cut } : { data: { [name]: items } };
}

/**
 * The three registers as one request reads them: once, however many aliases of participationMatches it holds,
 * as a dashboard is counted once (`dashboardField`). They are no person's data, and the same for every person.
 */
const readRegisters = oncePerRequest((context: GatewayContext): Promise<CatalogueRead[]> =>
  Promise.all(CATALOGUES.map((name) => readCatalogue(context.execute, name))),
);

/**
 * The person's inputs as one request reads them: once a person, however many aliases ask for her, so her access
 * log holds one read of them, as it would for a single field.
 */
const personsRead = oncePerRequest(
  (_: GatewayContext) => new Map<string, Promise<ExecutionOutcome<Partial<Inputs>>>>(),
);
function readPerson(context: GatewayContext, personId: string): Promise<ExecutionOutcome<Partial<Inputs>>> {
  const read = personsRead(context);
  let person = read.get(personId);
  if (!person) {
    person = context.execute<Partial<Inputs>>(PARTICIPATION_OPERATIONS.person, { personId });
    read.set(personId, person);
  }
  return person;
}

export const participationResolvers: GraphQLResolverMap<GatewayContext> = {
  Query: {
    async participationMatches(_: unknown, args: { personId: string; first?: number | null }, context) {
      const personId = requireUuid(args.personId, 'personId');
      const first = pageSize(args.first, 10, MAX_MATCHES);
      const [person, registers] = await Promise.all([readPerson(context, personId), readRegisters(context)]);
      const results = [person, ...registers];
      const denied = new Set<DataCategory>();
      for (const error of results.flatMap((r) => r.errors ?? [])) {
        const { code, category } = error.extensions ?? {};
        if (code === ERRORS.FORBIDDEN.code && typeof category === 'string') denied.add(category as DataCategory);
        else if (code === ERRORS.FORBIDDEN.code)
          throw ERRORS.FORBIDDEN.err(error.message, { reason: error.extensions?.['reason'] });
        else throw ERRORS.SERVICE_UNAVAILABLE.err('An opportunity register is not reachable; try again shortly.');
      }
      const inputs = Object.assign({}, ...results.map((r) => r.data ?? {})) as Inputs;
      if (!inputs.workOffers || !inputs.participationOpportunities || !inputs.jobOpenings) {
        throw ERRORS.SERVICE_UNAVAILABLE.err('An opportunity register is not reachable; try again shortly.');
      }
      if (!inputs.person) throw ERRORS.NOT_FOUND.err('No resident with that id', { argument: 'personId' });
      const age = inputs.person.birthDate ? ageOn(inputs.person.birthDate, new Date()) : null;
      return {
        personId,
        notConsidered: [...denied].sort(),
        incompleteSources: CATALOGUES.filter((_, i) => registers[i]!.cut).map((name) => SOURCE_OF[name]),
        profileRecorded: denied.has('WELFARE_CASE') ? null : inputs.person.participationProfile !== null,
        matches: rankParticipation(inputs.person.participationProfile, age, opportunitiesOf(inputs)).slice(0, first),
      };
    },
  },
};
