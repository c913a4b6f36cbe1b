// Test helpers that record welfare data through the gateway, as the welfare agencies' system would:
// residents, cases walked along the support flow, and the error a refused mutation returns.

import { expect } from 'vitest';
import { AGENCIES, todayInJapan } from '@hub/platform';
import { givenResident, mutate } from '@hub/testkit';
import type { GraphQLResponse, TestHub } from './hub.js';

export { mutate } from '@hub/testkit';

export const COLLABORATOR = AGENCIES.minaminoCollaborator.id;

/** The one error of a refused operation, as `{ code, reason, argument }`. */
export function refusal(result: GraphQLResponse<unknown>) {
  expect(result.errors, 'the operation was expected to be refused').toHaveLength(1);
  const extensions = result.errors![0]!.extensions ?? {};
  return { code: extensions['code'], reason: extensions['reason'], argument: extensions['argument'] };
}

/** A new synthetic resident, registered by a welfare agency. */
export const registerResident = (
  hub: TestHub,
  agency: string = COLLABORATOR,
  municipalityCode?: string,
  birthDate?: string,
) => givenResident(hub, agency, municipalityCode, birthDate);

/** A new synthetic older resident (born 1950-04-01), of an age a silver centre takes as a member. */
export const registerOlderResident = (hub: TestHub, agency: string = COLLABORATOR) =>
  givenResident(hub, agency, undefined, '1950-04-01');

/** A new synthetic child (born 2016-04-01), registered by a welfare agency. */
export const registerChild = (hub: TestHub, agency: string = COLLABORATOR) =>
  givenResident(hub, agency, undefined, '2016-04-01');

export async function openCase(hub: TestHub, personId: string, agency: string = COLLABORATOR): Promise<string> {
  const opened = await mutate<{ id: string }>(
    hub,
    agency,
    /* GraphQL */ `
      mutation ($personId: ID!) {
        openCase(input: { personId: $personId, issues: [LIVING, ECONOMIC, MENTAL_HEALTH] }) {
          id
        }
      }
    `,
    { personId },
  );
  return opened.id;
}

export const ADVANCE = /* GraphQL */ `
  mutation Advance($input: AdvanceCaseInput!) {
    advanceCase(input: $input) {
      id
      status
      suspendedFrom
    }
  }
`;

export const ADD_ISSUES = /* GraphQL */ `
  mutation AddIssues($input: AddCaseIssuesInput!) {
    addCaseIssues(input: $input) {
      id
      status
      issues
    }
  }
`;

export const DRAFT = /* GraphQL */ `
  mutation Draft($input: DraftSupportPlanInput!) {
    draftSupportPlan(input: $input) {
      version
      goals
      agencyId
      roles {
        agencyId
        role
        issues
      }
    }
  }
`;

export const REVIEW = /* GraphQL */ `
  mutation Review($input: ReviewSupportPlanInput!) {
    reviewSupportPlan(input: $input) {
      planVersion
      outcome
      participantAgencyIds
      agencyId
      note
    }
  }
`;

export const CLOSE = /* GraphQL */ `
  mutation Close($input: CloseCaseInput!) {
    closeCase(input: $input) {
      status
      closedAt
    }
  }
`;

/** 別添2 6(1): living and economic issues to the collaborator, listening and mental support to the window. */
export const ROLES = [
  { agencyId: COLLABORATOR, role: '生活面・経済的な課題', issues: ['LIVING', 'ECONOMIC'] },
  { agencyId: AGENCIES.minaminoKokoro.id, role: '本人への傾聴と精神面での支援', issues: ['MENTAL_HEALTH'] },
];

export async function advance(hub: TestHub, caseId: string, to: string, note?: string): Promise<void> {
  await mutate(hub, COLLABORATOR, ADVANCE, { input: { caseId, to, note } });
}

/** A plan's review day three months on, inside the year ahead a review day may be. */
export const reviewOn = () => todayInJapan(new Date(Date.now() + 90 * 86_400_000));

export async function draftPlan(hub: TestHub, caseId: string, goals = ['生活を立て直す']): Promise<void> {
  await mutate(hub, COLLABORATOR, DRAFT, { input: { caseId, goals, roles: ROLES, reviewOn: reviewOn() } });
}

/** The steps from a new case (INTAKE) to each status, drafting a plan where support needs one. */
const ROUTE: Record<string, readonly string[]> = {
  INTAKE: [],
  ASSESSMENT: ['ASSESSMENT'],
  PLANNING: ['ASSESSMENT', 'PLANNING'],
  ACTIVE: ['ASSESSMENT', 'PLANNING', 'draft', 'ACTIVE'],
  MONITORING: ['ASSESSMENT', 'PLANNING', 'draft', 'ACTIVE', 'MONITORING'],
  REPLAN: ['ASSESSMENT', 'PLANNING', 'draft', 'ACTIVE', 'MONITORING', 'REPLAN'],
  SUSPENDED: ['SUSPENDED'],
  CLOSED: ['ASSESSMENT', 'PLANNING', 'draft', 'ACTIVE', 'MONITORING', 'close'],
};

/** A new resident's case, walked through the gateway to `status`. */
export async function caseAt(hub: TestHub, status: string): Promise<{ personId: string; caseId: string }> {
  const personId = await registerResident(hub);
  const caseId = await openCase(hub, personId);
  for (const step of ROUTE[status]!) {
    if (step === 'draft') await draftPlan(hub, caseId);
    else if (step === 'close')
      await mutate(hub, COLLABORATOR, CLOSE, {
        input: { caseId, participantAgencyIds: [COLLABORATOR], reason: '支援が軌道に乗った' },
      });
    else await advance(hub, caseId, step);
  }
  return { personId, caseId };
}
