// The last places of a work offer, a job opening or an opportunity under concurrent requests: each system takes
// exactly the free places and refuses the rest, however many requests arrive at once (PostgreSQL shows it; the
// embedded database runs one transaction at a time).

import { describe, expect, it } from 'vitest';
import { AGENCIES, demoId } from '@hub/platform';
import type { GraphQLResponse } from './support/hub.js';
import { useTestHub } from './support/hub.js';
import { mutate, refusal, registerOlderResident } from './support/welfare.js';

const hub = useTestHub();

/** A start not yet come, within the year ahead that work is assigned and placements recorded for. */
const SOON = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

const helloWork = AGENCIES.helloWorkMinamino.id;
const silver = AGENCIES.minaminoSilver.id;
const environment = AGENCIES.minaminoEnvironment.id;

/** More requests than places, all sent at once. */
const REQUESTS = 8;

/** Residents made ready one by one (old enough for a silver centre): the set-up is not what is raced. */
async function residents(ready: (personId: string) => Promise<unknown>): Promise<string[]> {
  const personIds: string[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const personId = await registerOlderResident(hub);
    await ready(personId);
    personIds.push(personId);
  }
  return personIds;
}

/**
 * Every person asks for a place in one target at once, a target after another (a race is lost only now and then,
 * so several targets make a lost one show): what each target took, and the reasons the others were refused.
 */
async function race(
  targets: Record<string, number>,
  ask: (personId: string, target: string) => Promise<GraphQLResponse<unknown>>,
  personIds: string[],
) {
  const outcomes: Record<string, { taken: number; refused: unknown[] }> = {};
  for (const target of Object.keys(targets)) {
    const results = await Promise.all(personIds.map((personId) => ask(personId, target)));
    outcomes[target] = {
      taken: results.filter((result) => !result.errors).length,
      refused: results.filter((result) => result.errors).map(refusal),
    };
  }
  return outcomes;
}

/** What `race` should answer: each target's free places taken, every other request refused for `reason`. */
function full(targets: Record<string, number>, reason: string, argument: string) {
  const refusal = { code: 'BAD_USER_INPUT', reason, argument };
  return Object.fromEntries(
    Object.entries(targets).map(([target, free]) => [
      target,
      { taken: free, refused: Array<unknown>(REQUESTS - free).fill(refusal) },
    ]),
  );
}

describe('the last places under concurrent requests', () => {
  it('parallel assignWork calls take exactly the free slots of a work offer; the rest are refused OFFER_FULL', async () => {
    // Offers with no assignment in the seed, by their slots.
    const offers = { 'shoji-repair': 2, 'community-hall': 2, 'vacant-house-patrol': 3, 'care-meal-help': 3 };
    const JOIN = /* GraphQL */ `
      mutation ($personId: ID!) {
        registerSilverMembership(input: { personId: $personId, centreName: "みなみ野市シルバー人材センター" }) {
          id
        }
      }
    `;
    // An hour a week each: a member raced for every offer stays within the 20 hours a member may work in all.
    const ASSIGN = /* GraphQL */ `
      mutation ($personId: ID!, $offerId: ID!) {
        assignWork(input: { personId: $personId, offerId: $offerId, startedOn: "${SOON}", hoursPerWeek: 1 }) {
          id
        }
      }
    `;
    const members = await residents((personId) => mutate(hub, silver, JOIN, { personId }));
    const outcomes = await race(
      offers,
      (personId, offer) => hub.query({ agency: silver }, ASSIGN, { personId, offerId: demoId(`work-offer:${offer}`) }),
      members,
    );
    expect(outcomes).toEqual(full(offers, 'OFFER_FULL', 'offerId'));
  });

  it('parallel recordPlacement calls fill exactly the places of a job opening; the rest are refused OPENING_FULL', async () => {
    // Openings with no placement in the seed, by their places.
    const openings = { 'data-entry-home': 3, 'early-shelving': 2, 'library-returns': 2, 'delivery-driver': 3 };
    const REGISTER = /* GraphQL */ `
      mutation ($personId: ID!) {
        registerJobSeeker(input: { personId: $personId, desiredWork: "事務", preferredWorkStyles: [SHORT_HOURS] }) {
          id
        }
      }
    `;
    const PLACE = /* GraphQL */ `
      mutation ($personId: ID!, $openingId: ID!) {
        recordPlacement(input: { personId: $personId, openingId: $openingId, startedOn: "${SOON}" }) {
          id
        }
      }
    `;
    const seekers = await residents((personId) => mutate(hub, helloWork, REGISTER, { personId }));
    const outcomes = await race(
      openings,
      (personId, opening) =>
        hub.query({ agency: helloWork }, PLACE, { personId, openingId: demoId(`job-opening:${opening}`) }),
      seekers,
    );
    expect(outcomes).toEqual(full(openings, 'OPENING_FULL', 'openingId'));
  });

  it('parallel enroll calls take exactly the places of an opportunity; the rest are refused OPPORTUNITY_FULL', async () => {
    // Opportunities with no active enrolment in the seed, by their places.
    const opportunities = { 'biomass-boiler': 2, 'kitchen-pickup': 3, 'biomass-chips': 3, 'plastic-sorting': 4 };
    const ENROLL = /* GraphQL */ `
      mutation ($personId: ID!, $opportunityId: ID!) {
        enroll(input: { personId: $personId, opportunityId: $opportunityId }) {
          id
        }
      }
    `;
    const people = await residents(async () => undefined);
    const outcomes = await race(
      opportunities,
      (personId, opportunity) =>
        hub.query({ agency: environment }, ENROLL, { personId, opportunityId: demoId(`opportunity:${opportunity}`) }),
      people,
    );
    expect(outcomes).toEqual(full(opportunities, 'OPPORTUNITY_FULL', 'opportunityId'));
  });
});
