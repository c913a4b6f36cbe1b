// Test helpers that record a DV case through the gateway, as a DV centre's system would: opening her case,
// and moving it to another agency on her consent (別添3 4(1)).

import { expect } from 'vitest';
import { grantConsent } from './bases.js';
import type { TestHub } from './hub.js';
import { mutate, registerChild, registerResident } from './welfare.js';

const OPEN_DV_CASE = /* GraphQL */ `
  mutation ($personId: ID!, $formerMunicipalityCode: String) {
    openDvCase(input: { personId: $personId, formerMunicipalityCode: $formerMunicipalityCode }) {
      id
    }
  }
`;

/** Opens her DV case as `agency`; `formerMunicipalityCode` is the municipality she fled from, if any. */
export async function openDvCase(
  hub: TestHub,
  agency: string,
  personId: string,
  formerMunicipalityCode?: string,
): Promise<string> {
  const opened = await mutate<{ id: string }>(hub, agency, OPEN_DV_CASE, { personId, formerMunicipalityCode });
  return opened.id;
}

/**
 * A resident whose DV case `holder` opened and whose consent, recorded by it, names `toAgencyId` for DV and
 * DV_LOCATION: what a transfer of her case to that agency needs. Her id.
 */
export async function dvVictimReadyToMove(hub: TestHub, holder: string, toAgencyId: string): Promise<string> {
  const personId = await registerResident(hub);
  await openDvCase(hub, holder, personId);
  await grantConsent(hub, holder, { personId, recipientAgencyIds: [toAgencyId], categories: ['DV', 'DV_LOCATION'] });
  return personId;
}

/**
 * Moves her DV case from its holder to another agency, as the contract allows it: her consent, recorded by
 * the holder, names the destination for DV and DV_LOCATION, then the holder transfers the case.
 */
export async function moveDvCase(
  hub: TestHub,
  holder: string,
  personId: string,
  toAgencyId: string,
  purpose?: string,
): Promise<void> {
  await grantConsent(hub, holder, {
    personId,
    recipientAgencyIds: [toAgencyId],
    categories: ['DV', 'DV_LOCATION'],
    ...(purpose ? { purpose } : {}),
  });
  const moved = await hub.query<{ transferDvCase: { agencyId: string } | null }>(
    { agency: holder },
    'mutation ($input: TransferDvCaseInput!) { transferDvCase(input: $input) { agencyId } }',
    { input: { personId, toAgencyId } },
  );
  expect(moved.errors).toBeUndefined();
  expect(moved.data!.transferDvCase!.agencyId).toBe(toAgencyId);
}

/**
 * A child of a DV victim, registered by her town's welfare office and supported by `holder` with her (面前DV:
 * a child-welfare case of its own), so that the holder may record a consent for the child. The case is closed
 * at the handover unless `open`: one left open would stay in the town they leave, which serves them no more.
 */
export async function supportedChild(hub: TestHub, holder: string, { open = false } = {}): Promise<string> {
  const personId = await registerChild(hub);
  const opened = await mutate<{ id: string }>(
    hub,
    holder,
    'mutation ($personId: ID!) { openChildWelfareCase(input: { personId: $personId, classification: REQUIRES_SUPPORT }) { id } }',
    { personId },
  );
  if (!open) {
    await mutate(
      hub,
      holder,
      'mutation ($personId: ID!, $caseId: ID!) { updateChildWelfareCase(input: { personId: $personId, caseId: $caseId, status: CLOSED }) { id } }',
      { personId, caseId: opened.id },
    );
  }
  return personId;
}
