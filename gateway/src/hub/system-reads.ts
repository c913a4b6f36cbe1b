// The hub's own reads of two agency systems, for rules that turn on a fact no caller may be shown: when a DV
// or child-protection case was open (the disclosure protection), who may be a child council's subject,
// and whether the caller holds the DV case a transfer would move.
// Each read is signed for the hub itself, asks only that fact's fields, and returns no data to any caller:
// what a rule's answer tells a caller of it (a child council's INVALID_SUBJECT) is logged where it is given.

import { randomUUID } from 'node:crypto';
import {
  describeSafely,
  ERRORS,
  HUB_SYSTEM_AGENCY,
  SUBGRAPH_NAMES,
  type DataCategory,
  type Logger,
  type SubgraphName,
  ageOn,
} from '@hub/platform';
import { IDENTITY_HEADERS, staffHeader, type Fetcher } from '../enforce/signing-fetcher.js';
import { CHILD_AGE_LIMIT, EXPECTANT_AGES, type AgeLimitedRecord, type AgeLimits } from '../enforce/age-rules.js';
import type { ProtectionPeriod } from './store.js';

/** The identity the hub signs its own reads with: no agency of the register may take it (registerAgency). */
export const SYSTEM_AGENCY = HUB_SYSTEM_AGENCY;

/** Posts a body to a subgraph's `url` signed for the hub itself (SYSTEM_AGENCY), reading `categories`. */
export type SystemRequest = (
  subgraph: SubgraphName,
  url: string,
  body: unknown,
  categories?: readonly string[],
  signal?: AbortSignal,
) => ReturnType<Fetcher>;

/**
 * The hub's own requests to the subgraphs (its reads, the relocations a DV transfer sends, the readiness
 * probe), each through a fetcher that signs for that subgraph alone.
 */
export function createSystemPost(signingFetcher: (subgraph: SubgraphName) => Fetcher): SystemRequest {
  const fetchers = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, signingFetcher(name)])) as Record<
    SubgraphName,
    Fetcher
  >;
  return (subgraph, url, body, categories = [], signal) =>
    fetchers[subgraph](url, {
      method: 'POST',
      ...(signal ? { signal } : {}),
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADERS.agency]: SYSTEM_AGENCY,
        [IDENTITY_HEADERS.staff]: staffHeader(SYSTEM_AGENCY),
        [IDENTITY_HEADERS.requestId]: randomUUID(),
        [IDENTITY_HEADERS.categories]: categories.join(','),
      },
      body: JSON.stringify(body),
    });
}

/** Sends one operation to an agency subgraph, signed for the hub with the categories it reads. */
export type SystemSend = (
  subgraph: SubgraphName,
  query: string,
  variables: Record<string, unknown>,
  categories: readonly DataCategory[],
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

type SystemSubgraph = Parameters<SystemSend>[0];
type SystemAnswer = Awaited<ReturnType<SystemSend>>;

/** Posts a read's body to an agency subgraph, signed for the hub with the categories it reads. */
export type SystemPost = (
  subgraph: SystemSubgraph,
  body: { query: string; variables: Record<string, unknown> },
  categories: readonly DataCategory[],
) => Promise<{ readonly status: number; json(): Promise<unknown> }>;

/**
 * The send the reads go through: it posts the read and logs a failure (an unreachable subgraph, an answer
 * with errors or without data) by the read's operation name (HubDvCaseHolder, …) and the error's class or
 * codes, nothing of the person. The rule that made the read then fails closed on it.
 */
export function loggedSystemSend(post: SystemPost, logger: Pick<Logger, 'warn'>): SystemSend {
  return async (subgraph, query, variables, categories) => {
    const read = /^\s*query\s+(\w+)/.exec(query)?.[1] ?? 'unnamed';
    const failed = (details: object) => logger.warn({ subgraph, read, ...details }, "the hub's own read failed");
    try {
      const response = await post(subgraph, { query, variables }, categories);
      const answer = (await response.json()) as SystemAnswer;
      if (!answer.data || answer.errors?.length) {
        failed({ status: response.status, codes: (answer.errors ?? []).map(codeOf) });
      }
      return answer;
    } catch (error) {
      failed({ error: describeSafely(error) });
      throw error;
    }
  };
}

/** A GraphQL error's `extensions.code`, the one part of it a log may hold (its message may name a person). */
function codeOf(error: unknown): unknown {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code ?? null;
}

export interface SystemReads {
  /**
   * 不開示: protection is active while the person has an open DV case or an open child-protection case (a
   * child-welfare case, or an urgent report not yet closed). The whiles it was, each case's and report's from
   * when it was opened (received) until it was closed; one still open has not ended (`to` null).
   */
  protectionPeriods(personId: string): Promise<ProtectionPeriod[]>;
  /**
   * Who a child council may cover (児童福祉法 25条の2): a child (under 18 on `on`: when it starts, or now if
   * it started earlier), a specified expectant mother (特定妊婦), or an adult of a subject child's household.
   * `invalid`: the persons it may not; `judgedOn`: for each of the others, the categories of the facts that
   * make her a subject (what the convener learns of her by convening). Her 特定妊婦 case counts only where
   * `caseReadable` (the convener may read her CHILD_WELFARE): elsewhere she is judged as any adult.
   */
  childCouncilSubjects(
    personIds: readonly string[],
    on: Date,
    caseReadable: (personId: string) => boolean,
  ): Promise<ChildCouncilSubjects>;
  /** Whether the agency holds the person's DV case, open: what a DV transfer moves (別添3 4(1)). */
  holdsOpenDvCase(personId: string, agencyId: string): Promise<boolean>;
  /**
   * Which of these persons have a case open in child-dv, whoever holds it: a DV case, or a child-welfare case
   * (held by an agency that serves where they live, and by none once they moved away).
   */
  withOpenCase(personIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * The ages a record about no person is for (a job opening's, a participation opportunity's), as its agency
   * system holds them; null when it holds no such record.
   */
  ageLimits(record: AgeLimitedRecord, id: string): Promise<AgeLimits | null>;
}

export interface ChildCouncilSubjects {
  readonly invalid: string[];
  readonly judgedOn: ReadonlyMap<string, readonly DataCategory[]>;
}

const CASE_FACTS = /* GraphQL */ `
  query HubCaseFacts($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Person {
        id
        dvCase {
          status
        }
        childWelfareCases {
          status
          classification
        }
      }
    }
  }
`;

const PROTECTION_PERIODS = /* GraphQL */ `
  query HubProtectionPeriods($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Person {
        id
        dvCases {
          openedAt
          closedAt
        }
        childWelfareCases {
          openedAt
          closedAt
        }
        abuseReports {
          reportedAt
          closedAt
        }
      }
    }
  }
`;

const DV_CASE_HOLDER = /* GraphQL */ `
  query HubDvCaseHolder($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Person {
        id
        dvCase {
          status
          agencyId
        }
      }
    }
  }
`;

const AGE_AND_HOUSEHOLD = /* GraphQL */ `
  query HubAgeAndHousehold($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Person {
        id
        birthDate
        household {
          id
        }
      }
    }
  }
`;

interface CaseFacts {
  id: string;
  dvCase: { status: string } | null;
  childWelfareCases: { status: string; classification: string }[] | null;
}

/** A DV case or a child-welfare case of hers not closed: what a DV transfer may not leave behind. */
const hasOpenCase = (facts: CaseFacts | null): boolean =>
  (facts?.dvCase != null && facts.dvCase.status !== 'CLOSED') ||
  (facts?.childWelfareCases ?? []).some((c) => c.status !== 'CLOSED');

interface CaseTimes {
  id: string;
  dvCases: { openedAt: string; closedAt: string | null }[] | null;
  childWelfareCases: { openedAt: string; closedAt: string | null }[] | null;
  abuseReports: { reportedAt: string; closedAt: string | null }[] | null;
}

/** A while from `opened` until `closed` (null: still open), as the subgraph wrote the times. */
const periodOf = (opened: string, closed: string | null): ProtectionPeriod => ({
  from: new Date(opened),
  to: closed === null ? null : new Date(closed),
});

interface DvCaseHolder {
  id: string;
  dvCase: { status: string; agencyId: string | null } | null;
}

interface AgeAndHousehold {
  id: string;
  birthDate: string | null;
  household: { id: string } | null;
}

const representations = (ids: readonly string[]) => ids.map((id) => ({ __typename: 'Person', id }));

/** What a request that needed one of these facts is answered when its system cannot tell it. */
const systemReadFailed = () =>
  ERRORS.SERVICE_UNAVAILABLE.err('An agency system the hub needs for this is not reachable; try again shortly.');

async function entities<T>(
  send: SystemSend,
  subgraph: 'welfare' | 'child-dv',
  query: string,
  ids: readonly string[],
  categories: readonly DataCategory[],
): Promise<(T | null)[]> {
  const response = await send(subgraph, query, { representations: representations(ids) }, categories).catch(() => {
    throw systemReadFailed();
  });
  // Fail closed: a system that cannot answer leaves the protection on and the subjects unproven, and the
  // request that needed the fact is refused as when a subgraph is down, to be tried again.
  if (!response.data || response.errors?.length) throw systemReadFailed();
  return (response.data['_entities'] as (T | null)[]) ?? [];
}

/** Where each record with age limits is kept, and which of the limits it holds. */
const AGE_LIMITED: Readonly<Record<AgeLimitedRecord, { subgraph: SubgraphName; type: string; fields: string }>> = {
  JOB_OPENING: { subgraph: 'employment', type: 'JobOpening', fields: 'minAge maxAge' },
  PARTICIPATION_OPPORTUNITY: { subgraph: 'environment', type: 'ParticipationOpportunity', fields: 'minAge' },
};

export function createSystemReads(send: SystemSend): SystemReads {
  return {
    async protectionPeriods(personId) {
      const [times] = await entities<CaseTimes>(
        send,
        'child-dv',
        PROTECTION_PERIODS,
        [personId],
        ['DV', 'CHILD_WELFARE'],
      );
      // An urgent report (通告) not yet closed is a child-protection matter under way, case or no case yet.
      return [
        ...(times?.dvCases ?? []).map((c) => periodOf(c.openedAt, c.closedAt)),
        ...(times?.childWelfareCases ?? []).map((c) => periodOf(c.openedAt, c.closedAt)),
        ...(times?.abuseReports ?? []).map((r) => periodOf(r.reportedAt, r.closedAt)),
      ];
    },

    async childCouncilSubjects(personIds, on, caseReadable) {
      const [people, cases] = await Promise.all([
        entities<AgeAndHousehold>(send, 'welfare', AGE_AND_HOUSEHOLD, personIds, ['IDENTITY', 'WELFARE_CASE']),
        entities<CaseFacts>(send, 'child-dv', CASE_FACTS, personIds, ['DV', 'CHILD_WELFARE']),
      ]);
      const isChild = (p: AgeAndHousehold | null) => p?.birthDate != null && ageOn(p.birthDate, on) < CHILD_AGE_LIMIT;
      const childHouseholds = new Set(
        people
          .filter(isChild)
          .map((p) => p!.household?.id)
          .filter(Boolean),
      );
      const invalid: string[] = [];
      const judgedOn = new Map<string, readonly DataCategory[]>();
      personIds.forEach((id, i) => {
        const person = people[i] ?? null;
        const age = person?.birthDate != null ? ageOn(person.birthDate, on) : null;
        // An open case so classified, of a person of an age to be expecting: a closed one ended with the birth.
        const expectant =
          caseReadable(id) &&
          age !== null &&
          age >= EXPECTANT_AGES.from &&
          age < EXPECTANT_AGES.below &&
          (cases[i]?.childWelfareCases ?? []).some(
            (c) => c.classification === 'SPECIFIED_EXPECTANT_MOTHER' && c.status !== 'CLOSED',
          );
        const ofChildHousehold = person?.household != null && childHouseholds.has(person.household.id);
        // Her age (IDENTITY) is read of each; what else makes her a subject is her 特定妊婦 case (CHILD_WELFARE)
        // or her household (WELFARE_CASE).
        if (isChild(person)) judgedOn.set(id, ['IDENTITY']);
        else if (expectant) judgedOn.set(id, ['IDENTITY', 'CHILD_WELFARE']);
        else if (ofChildHousehold) judgedOn.set(id, ['IDENTITY', 'WELFARE_CASE']);
        else invalid.push(id);
      });
      return { invalid, judgedOn };
    },

    async withOpenCase(personIds) {
      const facts = await entities<CaseFacts>(send, 'child-dv', CASE_FACTS, personIds, ['DV', 'CHILD_WELFARE']);
      return new Set(personIds.filter((_, i) => hasOpenCase(facts[i] ?? null)));
    },
    async ageLimits(record, id) {
      const { subgraph, type, fields } = AGE_LIMITED[record];
      const query = `query AgeLimits($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${type} { ${fields} } } }`;
      const response = await send(subgraph, query, { representations: [{ __typename: type, id }] }, []).catch(() => {
        throw systemReadFailed();
      });
      if (!response.data || response.errors?.length) throw systemReadFailed();
      const [found] =
        (response.data['_entities'] as ({ minAge?: number | null; maxAge?: number | null } | null)[]) ?? [];
      return found ? { minAge: found.minAge ?? null, maxAge: found.maxAge ?? null } : null;
    },
    async holdsOpenDvCase(personId, agencyId) {
      const [held] = await entities<DvCaseHolder>(send, 'child-dv', DV_CASE_HOLDER, [personId], ['DV', 'DV_LOCATION']);
      return held?.dvCase != null && held.dvCase.status !== 'CLOSED' && held.dvCase.agencyId === agencyId;
    },
  };
}
