// The hub's scenario of npm run bench and bench/profile-hub.ts: the person list across welfare, employment
// and the eco projects, for the persons a request names.

export const PEOPLE_QUERY = /* GraphQL */ `
  query People($ids: [ID!]!) {
    people(ids: $ids) {
      id
      name
      cases {
        status
        plan {
          goals
        }
      }
      jobSeeker {
        status
        preferredWorkStyles
      }
      enrollments {
        status
        opportunity {
          title
        }
      }
    }
  }
`;
