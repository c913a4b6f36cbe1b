// Test helpers that record legal bases through the gateway, as an agency system would.

import { expect } from 'vitest';
import { AGENCIES, owningDomain, type DataCategory, type Domain } from '@hub/platform';
import type { TestHub } from './hub.js';

const day = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString();

async function mutate<T>(hub: TestHub, agency: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await hub.query<Record<string, T>>({ agency }, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return Object.values(result.data!)[0]!;
}

/**
 * The holder of each domain's data for a person of みなみ野市: the agency that confirms a consent's
 * categories of its domain, and joins a meeting that shares them.
 */
export const HOLDERS: Readonly<Record<Domain, string>> = {
  WELFARE: AGENCIES.minaminoWelfare.id,
  SUICIDE_PREVENTION: AGENCIES.minaminoKokoro.id,
  CHILD_DV: AGENCIES.midoriChildGuidance.id,
  EMPLOYMENT: AGENCIES.helloWorkMinamino.id,
  SENIORS_WORK: AGENCIES.minaminoSilver.id,
  ENVIRONMENT: AGENCIES.minaminoEnvironment.id,
};

export interface ConsentInput {
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  validFrom?: string;
  validUntil?: string;
  purpose?: string;
  /**
   * Which holders confirm the categories the recorder does not hold, so the consent opens them; `false` leaves
   * them awaiting confirmation (CONSENT_NOT_CONFIRMED).
   * @default HOLDERS
   */
  confirmBy?: Partial<Record<Domain, string>> | false;
}

/** The holder of `category`'s data confirms it in the consent (confirmConsent). */
export async function confirmConsent(hub: TestHub, holder: string, id: string, categories: DataCategory[]) {
  await mutate(
    hub,
    holder,
    /* GraphQL */ `
      mutation ($id: ID!, $categories: [DataCategory!]!) {
        confirmConsent(id: $id, categories: $categories) {
          id
        }
      }
    `,
    { id, categories },
  );
}

/** The holders confirm their categories of many consents, one aliased mutation per holder. */
export async function confirmEach(hub: TestHub, ids: readonly string[], categories: DataCategory[]): Promise<void> {
  const byHolder = new Map<string, DataCategory[]>();
  for (const category of categories) {
    const holder = HOLDERS[owningDomain(category)];
    byHolder.set(holder, [...(byHolder.get(holder) ?? []), category]);
  }
  for (const [holder, held] of byHolder) {
    const aliases = ids.map((id, i) => `c${i}: confirmConsent(id: "${id}", categories: [${held.join(', ')}]) { id }`);
    const result = await hub.query({ agency: holder }, `mutation { ${aliases.join('\n')} }`);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  }
}

/** Records a written consent, then has the holder of each category it names confirm it (unless told not to). */
export async function grantConsent(hub: TestHub, obtainedBy: string, input: ConsentInput): Promise<string> {
  const { confirmBy = HOLDERS, ...consentInput } = input;
  const consent = await mutate<{ id: string }>(
    hub,
    obtainedBy,
    /* GraphQL */ `
      mutation ($input: GrantConsentInput!) {
        grantConsent(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        purpose: '支援プラン作成のための情報共有',
        validFrom: daysFromNow(-1),
        validUntil: daysFromNow(90),
        method: 'WRITTEN',
        evidenceRef: '同意書-試験-0001',
        ...consentInput,
      },
    },
  );
  const expired = input.validUntil !== undefined && new Date(input.validUntil) <= new Date();
  if (confirmBy && !expired) {
    const byHolder = new Map<string, DataCategory[]>();
    for (const category of input.categories) {
      const holder = confirmBy[owningDomain(category)];
      if (!holder || holder === obtainedBy) continue;
      byHolder.set(holder, [...(byHolder.get(holder) ?? []), category]);
    }
    for (const [holder, categories] of byHolder) await confirmConsent(hub, holder, consent.id, categories);
  }
  return consent.id;
}

export async function revokeConsent(hub: TestHub, by: string, id: string): Promise<void> {
  await mutate(
    hub,
    by,
    /* GraphQL */ `
      mutation ($id: ID!) {
        revokeConsent(id: $id, reason: "本人の申出") {
          id
        }
      }
    `,
    { id },
  );
}

export interface MeetingInput {
  kind: 'SUPPORT_MEETING' | 'MULTILAYER_MEETING' | 'CHILD_COUNCIL';
  subjectPersonIds: string[];
  sharedCategories: DataCategory[];
  members?: string[];
  acknowledged?: string[];
  /**
   * The holders of the shared categories that join and acknowledge, so the meeting shares what they hold;
   * `false` keeps the meeting to the listed members.
   * @default HOLDERS
   */
  holdersJoin?: Partial<Record<Domain, string>> | false;
}

/**
 * Convenes a meeting, adds members, has the listed members acknowledge confidentiality, and (unless told
 * not to) has the holder of each shared category join and acknowledge: a meeting shares what its members hold.
 */
export async function convene(hub: TestHub, convener: string, input: MeetingInput): Promise<string> {
  const holders = input.holdersJoin === false ? {} : (input.holdersJoin ?? HOLDERS);
  const joining = [
    ...new Set(
      input.sharedCategories
        .filter(() => input.kind !== 'MULTILAYER_MEETING')
        .map((c) => holders[owningDomain(c)])
        .filter((a): a is string => a !== undefined && a !== convener && !(input.members ?? []).includes(a)),
    ),
  ];
  const meeting = await mutate<{ id: string }>(
    hub,
    convener,
    /* GraphQL */ `
      mutation ($input: ConveneMeetingInput!) {
        conveneMeeting(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        kind: input.kind,
        title: '試験の会議',
        subjectPersonIds: input.subjectPersonIds,
        sharedCategories: input.sharedCategories,
        startsAt: daysFromNow(-1),
        endsAt: daysFromNow(30),
      },
    },
  );
  for (const agencyId of [...(input.members ?? []), ...joining]) {
    await mutate(
      hub,
      convener,
      /* GraphQL */ `
        mutation ($m: ID!, $a: ID!) {
          addMeetingMember(meetingId: $m, agencyId: $a) {
            id
          }
        }
      `,
      { m: meeting.id, a: agencyId },
    );
  }
  for (const agencyId of input.acknowledged ?? []) await acknowledge(hub, agencyId, meeting.id);
  for (const agencyId of joining) await acknowledge(hub, agencyId, meeting.id);
  return meeting.id;
}

export async function acknowledge(hub: TestHub, agencyId: string, meetingId: string): Promise<void> {
  await mutate(
    hub,
    agencyId,
    /* GraphQL */ `
      mutation ($m: ID!) {
        acknowledgeConfidentiality(meetingId: $m) {
          id
        }
      }
    `,
    {
      m: meetingId,
    },
  );
}

export async function closeMeeting(hub: TestHub, convener: string, meetingId: string): Promise<void> {
  await mutate(
    hub,
    convener,
    /* GraphQL */ `
      mutation ($m: ID!) {
        closeMeeting(id: $m) {
          id
        }
      }
    `,
    { m: meetingId },
  );
}

export async function declareEmergency(
  hub: TestHub,
  agencyId: string,
  personId: string,
  categories: DataCategory[],
): Promise<string> {
  const access = await mutate<{ id: string }>(
    hub,
    agencyId,
    /* GraphQL */ `
      mutation ($input: DeclareEmergencyInput!) {
        declareEmergency(input: $input) {
          id
        }
      }
    `,
    { input: { personId, categories, reason: '生命・身体に危険が切迫している' } },
  );
  return access.id;
}

type Errors = { path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;

/** The FORBIDDEN errors of a response, as `{ category, reason, personId, path }`. */
export function denials(errors: Errors) {
  return (errors ?? [])
    .filter((e) => e.extensions?.['code'] === 'FORBIDDEN')
    .map((e) => ({
      category: e.extensions?.['category'],
      reason: e.extensions?.['reason'],
      personId: e.extensions?.['personId'],
      path: e.path,
    }));
}

/**
 * Whether a subgraph was sent a request that names this person and selects this field: the proof that
 * denied data was never requested from its owner.
 */
export function askedFor(
  hub: TestHub,
  subgraph: Parameters<TestHub['received']>[0],
  personId: string,
  field: string,
): boolean {
  const selects = new RegExp(`[{\\s:]${field}[\\s{}(]`);
  return hub
    .received(subgraph)
    .some(
      (r) =>
        (JSON.stringify(r.variables ?? {}).includes(personId) || r.query.includes(personId)) && selects.test(r.query),
    );
}
