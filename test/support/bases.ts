// Test helpers that record legal bases through the gateway, as an agency system would.

import { expect } from 'vitest';
import type { DataCategory } from '@hub/platform';
import type { TestHub } from './hub.js';

const day = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString();

async function mutate<T>(hub: TestHub, agency: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await hub.query<Record<string, T>>({ agency }, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return Object.values(result.data!)[0]!;
}

export interface ConsentInput {
  personId: string;
  recipientAgencyIds: string[];
  categories: DataCategory[];
  validFrom?: string;
  validUntil?: string;
  purpose?: string;
}

export async function grantConsent(hub: TestHub, obtainedBy: string, input: ConsentInput): Promise<string> {
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
        ...input,
      },
    },
  );
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
}

/** Convenes a meeting, adds members, and has the listed members acknowledge confidentiality. */
export async function convene(hub: TestHub, convener: string, input: MeetingInput): Promise<string> {
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
  for (const agencyId of input.members ?? []) {
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
