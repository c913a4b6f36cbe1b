// @hub/testkit: what a department needs to test its system against the hub (docs/integrating.md).

export {
  createTestDatabase,
  devSecret,
  startTestHub,
  testConfig,
  testSigningKeys,
  type ClientOptions,
  type GraphQLError,
  type GraphQLResponse,
  type HubClient,
  type ReceivedRequest,
  type TestDatabase,
  type TestHub,
  type TestHubOptions,
} from './hub.js';
export {
  acknowledge,
  closeMeeting,
  confirmConsent,
  confirmEach,
  daysFromNow,
  givenConsent,
  givenEmergency,
  givenMeeting,
  givenReferral,
  givenResident,
  HOLDERS,
  mutate,
  revokeConsent,
  ScenarioError,
  type ConsentInput,
  type EmergencyInput,
  type MeetingInput,
  type ReferralInput,
  type ScenarioHub,
} from './scenarios.js';
export {
  expectAllowed,
  expectForbidden,
  expectLogged,
  readAccessLog,
  type AccessLogEntry,
  type ExpectedDenial,
  type ExpectedLogEntry,
  type ResponsePath,
} from './assertions.js';
export { AGENCIES, DATA_CATEGORIES, residentId, type DataCategory, type SubgraphName } from '@hub/platform';
export {
  CHECKS,
  checkSubgraph,
  formatReport,
  personalFields,
  SigningKeyNotTrustedError,
  WrongSubgraphError,
  SubgraphUnreachableError,
  type CheckName,
  type CheckReport,
  type CheckResult,
  type CheckSubgraphOptions,
} from './check-subgraph.js';
export {
  hubSubgraphSdl,
  startStandInSubgraph,
  type StandInContext,
  type StandInOptions,
  type StandInSubgraph,
} from './stand-in.js';
