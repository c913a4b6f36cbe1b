// Test helpers that record employment data through the gateway, as Hello Work's system would.

import { AGENCIES } from '@hub/platform';
import { mutate } from '@hub/testkit';
import type { TestHub } from './hub.js';

/** Registers the person as a job seeker (求職者) at Hello Work みなみ野, or at `agency`; her record's id. */
export async function registerJobSeeker(
  hub: TestHub,
  personId: string,
  agency: string = AGENCIES.helloWorkMinamino.id,
): Promise<string> {
  const registered = await mutate<{ id: string }>(
    hub,
    agency,
    /* GraphQL */ `
      mutation ($input: RegisterJobSeekerInput!) {
        registerJobSeeker(input: $input) {
          id
        }
      }
    `,
    { input: { personId, desiredWork: '軽作業', preferredWorkStyles: ['PART_TIME'] } },
  );
  return registered.id;
}
