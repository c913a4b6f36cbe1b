// The hub's SQL: the agency register, the legal bases (consents, meetings, emergency accesses,
// disclosure protections), referrals and reading the access log, one module a concept under store/.
// Only these modules (with seed.ts, policy/bases.ts and audit/log.ts) touch the hub schema's tables.

import type { Logger, Sql } from '@hub/platform';
import type { CheckpointAnchor } from '../audit/checkpoint.js';
import { loadBases } from '../policy/bases.js';
import { createAgencyControlStore } from './agency-controls.js';
import { createDashboardStore } from './dashboards.js';
import { createAccessLogStore } from './store/access-log.js';
import { createAgencyChangeStore } from './store/agency-changes.js';
import { createConsentStore } from './store/consents.js';
import { createDisclosureProtectionStore } from './store/disclosure-protections.js';
import { createEmergencyStore } from './store/emergencies.js';
import { createMeetingStore } from './store/meetings.js';
import { createReferralStore } from './store/referrals.js';
import { createRegisterStore } from './store/register.js';
import type { LogIds } from './log-ids.js';

export type { AccessLogRow } from './store/access-log.js';
export type { AgencyChangeRow, RegisterChanger } from './store/agency-changes.js';
export type { ConsentMethod, ConsentRow, NewConsent } from './store/consents.js';
export type { DisclosureProtectionRow, ProtectionPeriod } from './store/disclosure-protections.js';
export type { EmergencyAccessRow } from './store/emergencies.js';
export type { Guard } from './store/guard.js';
export type { MeetingMemberRow, MeetingRow, NewMeeting } from './store/meetings.js';
export type { ReferralRow, ReferralStatus, ReferralStore } from './store/referrals.js';
export type { AgencyRow, MunicipalityRow, ResidentRow } from './store/register.js';

export interface HubStoreOptions {
  /**
   * How long a declared emergency access lasts (config.policy.emergencyTtlMinutes).
   * @default 30
   */
  emergencyTtlMinutes?: number;
  /** The access log's checkpoints, which verifyAccessLog holds the chain against. */
  checkpoints?: CheckpointAnchor;
  /** Seals the access log's entry ids and cursors (log-ids.ts). */
  logIds: LogIds;
  /** The process log, where each change to the agency register gets its line. */
  logger?: Logger;
}

export function createHubStore(sql: Sql, options: HubStoreOptions) {
  const register = createRegisterStore(sql, options.logger);
  return {
    ...register,
    referrals: createReferralStore(sql),
    agencyControls: createAgencyControlStore(sql, register.agency, options.logger),
    agencyChanges: createAgencyChangeStore(sql),
    dashboards: createDashboardStore(sql),
    /** The bases of each person, read now (policy/bases.ts). */
    bases: (personIds: readonly string[]) => loadBases(sql, personIds),
    consents: createConsentStore(sql),
    meetings: createMeetingStore(sql),
    emergencies: createEmergencyStore(sql, options.emergencyTtlMinutes),
    disclosureProtections: createDisclosureProtectionStore(sql),
    accessLog: createAccessLogStore(sql, options.checkpoints),
    logIds: options.logIds,
  };
}

export type HubStore = ReturnType<typeof createHubStore>;
