// The department's stand-in for its own system: Hello Work's job-seeker registrations, served as a
// subgraph the way the hub expects (the gateway's signature verified, every personal field tagged
// EMPLOYMENT). In a department's real CI this is where its system under test would be started.
//
// It serves the hub's employment schema, all of it: the gateway plans by the hub's supergraph, so a field of
// that schema the department's system left out would fail every query asking for it (and the conformance
// check's `hub-schema`). Resolvers are given for what the department's tests read; the rest answer nothing.

import {
  hubSubgraphSdl,
  residentId,
  startStandInSubgraph,
  type StandInOptions,
  type StandInSubgraph,
} from '@hub/testkit';

export const EMPLOYMENT_SDL = hubSubgraphSdl('employment');

interface JobSeeker {
  id: string;
  registeredAt: string;
  officeAgencyId: string;
  desiredWork: string;
  desiredHoursPerWeek: number | null;
  preferredWorkStyles: string[];
  supportNeeds: string[];
  status: 'ACTIVE' | 'PLACED' | 'INACTIVE';
}

/** The department's test data: one registration, for a resident of the demo municipality. */
export const JOB_SEEKERS: ReadonlyMap<string, JobSeeker> = new Map([
  [
    residentId('takahashi'),
    {
      id: 'js-takahashi',
      registeredAt: '2026-04-01T09:00:00+09:00',
      officeAgencyId: 'hellowork-minamino',
      desiredWork: '施設の清掃（短時間）',
      desiredHoursPerWeek: 15,
      preferredWorkStyles: ['SHORT_HOURS'],
      supportNeeds: [],
      status: 'ACTIVE',
    },
  ],
]);

export function startEmploymentStandIn(verifyKeys: StandInOptions['verifyKeys']): Promise<StandInSubgraph> {
  return startStandInSubgraph({
    name: 'employment',
    typeDefs: EMPLOYMENT_SDL,
    verifyKeys,
    resolvers: {
      Query: { jobOpenings: () => [], jobOpening: () => null },
      Person: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        jobSeeker: ({ id }: { id: string }) => JOB_SEEKERS.get(id) ?? null,
        placements: () => [],
      },
    },
  });
}
