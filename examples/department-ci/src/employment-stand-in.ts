// The department's stand-in for its own system: Hello Work's job-seeker registrations, served as a
// subgraph the way the hub expects (the gateway's signature verified, every personal field tagged
// EMPLOYMENT). In a department's real CI this is where its system under test would be started.

import { residentId, startStandInSubgraph, type StandInOptions, type StandInSubgraph } from '@hub/testkit';

export const EMPLOYMENT_SDL = /* GraphQL */ `
  type Query {
    jobOpenings: [JobOpening!]!
  }

  type Person @key(fields: "id") {
    id: ID!
    jobSeeker: JobSeeker @category(name: EMPLOYMENT)
  }

  type JobSeeker {
    id: ID!
    desiredWork: String! @category(name: EMPLOYMENT)
    desiredHoursPerWeek: Int @category(name: EMPLOYMENT)
    status: JobSeekerStatus! @category(name: EMPLOYMENT)
  }

  enum JobSeekerStatus {
    ACTIVE
    PLACED
    INACTIVE
  }

  type JobOpening @key(fields: "id") {
    id: ID!
    title: String!
  }
`;

interface JobSeeker {
  id: string;
  desiredWork: string;
  desiredHoursPerWeek: number | null;
  status: 'ACTIVE' | 'PLACED' | 'INACTIVE';
}

/** The department's test data: one registration, for a resident of the demo municipality. */
export const JOB_SEEKERS: ReadonlyMap<string, JobSeeker> = new Map([
  [
    residentId('takahashi'),
    { id: 'js-takahashi', desiredWork: '施設の清掃（短時間）', desiredHoursPerWeek: 15, status: 'ACTIVE' },
  ],
]);

export function startEmploymentStandIn(verifyKeys: StandInOptions['verifyKeys']): Promise<StandInSubgraph> {
  return startStandInSubgraph({
    name: 'employment',
    typeDefs: EMPLOYMENT_SDL,
    verifyKeys,
    resolvers: {
      Query: { jobOpenings: () => [] },
      Person: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        jobSeeker: ({ id }: { id: string }) => JOB_SEEKERS.get(id) ?? null,
      },
    },
  });
}
