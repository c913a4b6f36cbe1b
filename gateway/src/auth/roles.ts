// The roles the hub gives meaning to (docs/authorization.md), as a signed token carries them: an auditor
// reads the whole access log and reviews emergencies, a hub administrator keeps the register of agencies, a
// dashboard reads aggregates only. A token with any other role is an agency's plain token.

export const AUDITOR_ROLE = 'auditor';
export const HUB_ADMIN_ROLE = 'hub-admin';
export const DASHBOARD_ROLE = 'dashboard';

export const ROLES = [AUDITOR_ROLE, DASHBOARD_ROLE, HUB_ADMIN_ROLE] as const;

/** One of the roles the hub gives meaning to. */
export type Role = (typeof ROLES)[number];
