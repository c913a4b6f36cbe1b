// Scenario builders: the legal bases a test needs, recorded through the gateway's public API as the
// agencies' own systems would (consents confirmed by their holders, meetings with acknowledged members,
// referrals, emergencies). Each returns the new record's id and throws a ScenarioError if refused.

import { AGENCIES, MUNICIPALITIES, owningDomain, type DataCategory, type Domain } from '@hub/platform';
import type { TestHub } from './hub.js';

const day = 86_400_000;
export const daysFromNow = (days: number) => new Date(Date.now() + days * day).toISOString();

/** What a scenario needs of a hub: a request as an agency. */
export type ScenarioHub = Pick<TestHub, 'query'>;

/** A scenario step the hub refused: the test's premise does not hold. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Runs a mutation that must succeed as `agency` and returns its one root field. */
export async function mutate<T>(
  hub: ScenarioHub,
  agency: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await hub.query<Record<string, T>>({ agency }, query, variables);
  if (result.errors?.length || !result.data) {
    throw new ScenarioError(`${agency} was refused: ${JSON.stringify(result.errors ?? result.status)}`);
  }
  return Object.values(result.data)[0]!;
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
   * How it was obtained, with its evidence (CONTRACT.md v2): a signed form by default (`WRITTEN` with an
   * `evidenceRef`); `GUARDIAN` names the guardian (`guardianName`, and `guardianshipRef` for a person of 18
   * or over); `ORAL` names a witness other than the token's staff member (`witnessStaffId`).
   * @default 'WRITTEN'
   */
  method?: 'WRITTEN' | 'ORAL' | 'GUARDIAN';
  evidenceRef?: string;
  witnessStaffId?: string;
  guardianName?: string;
  guardianshipRef?: string;
  /**
   * Which holders confirm the categories the recorder does not hold, so the consent opens them; `false` leaves
   * them awaiting confirmation (CONSENT_NOT_CONFIRMED).
   * @default HOLDERS
   */
  confirmBy?: Partial<Record<Domain, string>> | false;
}

/** The holder of `category`'s data confirms it in the consent (confirmConsent). */
export async function confirmConsent(hub: ScenarioHub, holder: string, id: string, categories: DataCategory[]) {
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
export async function confirmEach(hub: ScenarioHub, ids: readonly string[], categories: DataCategory[]): Promise<void> {
  const byHolder = new Map<string, DataCategory[]>();
  for (const category of categories) {
    const holder = HOLDERS[owningDomain(category)];
    byHolder.set(holder, [...(byHolder.get(holder) ?? []), category]);
  }
  for (const [holder, held] of byHolder) {
    const aliases = ids.map((id, i) => `c${i}: confirmConsent(id: "${id}", categories: [${held.join(', ')}]) { id }`);
    await mutate(hub, holder, `mutation { ${aliases.join('\n')} }`);
  }
}

/** Records a written consent, then has the holder of each category it names confirm it (unless told not to). */
export async function givenConsent(hub: ScenarioHub, obtainedBy: string, input: ConsentInput): Promise<string> {
  const { confirmBy = HOLDERS, ...consentInput } = input;
  const consent = await mutate<{ id: string; confirmedCategories: DataCategory[] }>(
    hub,
    obtainedBy,
    /* GraphQL */ `
      mutation ($input: GrantConsentInput!) {
        grantConsent(input: $input) {
          id
          confirmedCategories
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
    // What the recorder's own domain holds is open as recorded: only the rest awaits its holder.
    for (const category of input.categories) {
      const holder = confirmBy[owningDomain(category)];
      if (!holder || holder === obtainedBy || consent.confirmedCategories.includes(category)) continue;
      byHolder.set(holder, [...(byHolder.get(holder) ?? []), category]);
    }
    for (const [holder, categories] of byHolder) {
      try {
        await confirmConsent(hub, holder, consent.id, categories);
      } catch (error) {
        // The consent is recorded all the same: say so, with its id, and which step failed.
        const why = error instanceof Error ? error.message : String(error);
        throw new ScenarioError(
          `the consent ${consent.id} was recorded by ${obtainedBy}, but ${holder} (confirmBy) could not confirm ${categories.join(', ')}: ${why}`,
        );
      }
    }
  }
  return consent.id;
}

export async function revokeConsent(hub: ScenarioHub, by: string, id: string): Promise<void> {
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
  /** When the meeting starts (ISO 8601). @default a day ago */
  startsAt?: string;
  /** When it ends (ISO 8601). @default 30 days from now */
  endsAt?: string;
}

/**
 * Convenes a meeting, adds members, has the listed members acknowledge confidentiality, and (unless told
 * not to) has the holder of each shared category join and acknowledge: a meeting shares what its members hold.
 */
export async function givenMeeting(hub: ScenarioHub, convener: string, input: MeetingInput): Promise<string> {
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
        startsAt: input.startsAt ?? daysFromNow(-1),
        endsAt: input.endsAt ?? daysFromNow(30),
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

export async function acknowledge(hub: ScenarioHub, agencyId: string, meetingId: string): Promise<void> {
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

export async function closeMeeting(hub: ScenarioHub, convener: string, meetingId: string): Promise<void> {
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

export interface EmergencyInput {
  personId: string;
  categories: DataCategory[];
  /** @default '生命・身体に危険が切迫している' */
  reason?: string;
}

/** Declares an emergency access (CONTRACT.md rule 5): `agencyId` may read the categories for a while, reviewed later. */
export async function givenEmergency(hub: ScenarioHub, agencyId: string, input: EmergencyInput): Promise<string> {
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
    { input: { reason: '生命・身体に危険が切迫している', ...input } },
  );
  return access.id;
}

export interface ReferralInput {
  personId: string;
  toAgencyId: string;
  categories: DataCategory[];
  /** @default '就労支援のための引き継ぎ' */
  reason?: string;
}

/** A referral (つなぎ) from `fromAgencyId` to another agency, carrying the categories named. */
export async function givenReferral(hub: ScenarioHub, fromAgencyId: string, input: ReferralInput): Promise<string> {
  const referral = await mutate<{ id: string }>(
    hub,
    fromAgencyId,
    /* GraphQL */ `
      mutation ($input: CreateReferralInput!) {
        createReferral(input: $input) {
          id
        }
      }
    `,
    { input: { reason: '就労支援のための引き継ぎ', ...input } },
  );
  return referral.id;
}

let residents = 0;

/**
 * A new synthetic resident, registered by a welfare agency: みなみ野市's collaborator, in みなみ野市 (990001),
 * born 1975-04-01, unless told.
 */
export async function givenResident(
  hub: ScenarioHub,
  agencyId: string = AGENCIES.minaminoCollaborator.id,
  municipalityCode: string = MUNICIPALITIES.minamino.code,
  birthDate = '1975-04-01',
): Promise<string> {
  residents += 1;
  const person = await mutate<{ id: string }>(
    hub,
    agencyId,
    /* GraphQL */ `
      mutation ($input: RegisterPersonInput!) {
        registerPerson(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        name: `試験 ${residents}`,
        nameKana: 'シケン',
        birthDate,
        municipalityCode,
      },
    },
  );
  return person.id;
}
