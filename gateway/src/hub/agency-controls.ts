// What a hub administrator controls of a registered agency: switching it off (its tokens are refused from
// the next request on, since every request loads the agency afresh) and on again (with new tokens only),
// and its own requests-per-minute limit.

import { ERRORS, type GraphQLResolverMap, type oneEach, type Sql } from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { hubAdminOnly, isRegisteredMunicipality, unknownMunicipality } from './guards.js';
import type { AgencyRow } from './store.js';

/** The highest limit a hub administrator may set, as the column's check says. */
const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

export function createAgencyControlStore(sql: Sql, agency: ReturnType<typeof oneEach<string, AgencyRow>>) {
  const changed = (row: AgencyRow | undefined, argument = 'id'): AgencyRow => {
    if (!row) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument });
    agency.clear(row.id).prime(row.id, row);
    return row;
  };
  return {
    /** Keeps the first deactivation's time when it is repeated. */
    deactivate: async (id: string) =>
      changed(
        (
          await sql<AgencyRow[]>`
            update hub.agency set deactivated_at = coalesce(deactivated_at, now()) where id = ${id} returning *`
        )[0],
      ),
    /**
     * Switching it back on starts it with new tokens: those it held before (some perhaps the reason it was
     * switched off) stay refused. Reactivating an active agency changes nothing.
     */
    reactivate: async (id: string) =>
      changed(
        (
          await sql<AgencyRow[]>`
            update hub.agency
            set tokens_issued_after = case when deactivated_at is null then tokens_issued_after else now() end,
                deactivated_at = null
            where id = ${id} returning *`
        )[0],
      ),
    setJurisdiction: async (id: string, jurisdiction: readonly string[]) =>
      changed(
        (
          await sql<AgencyRow[]>`
            update hub.agency set jurisdiction = ${[...jurisdiction]}::text[] where id = ${id} returning *`
        )[0],
        'agencyId',
      ),
    setRateLimit: async (id: string, perMinute: number | null) =>
      changed(
        (
          await sql<AgencyRow[]>`
            update hub.agency set rate_limit_per_minute = ${perMinute} where id = ${id} returning *`
        )[0],
        'agencyId',
      ),
  };
}

/** A requests-per-minute argument: 1 to MAX_RATE_LIMIT_PER_MINUTE, or null for the hub's default. */
export function rateLimitArgument(value: number | null | undefined, argument: string): number | null {
  const perMinute = value ?? null;
  if (perMinute !== null && (perMinute < 1 || perMinute > MAX_RATE_LIMIT_PER_MINUTE)) {
    throw ERRORS.BAD_USER_INPUT.err(`${argument} is 1 to ${MAX_RATE_LIMIT_PER_MINUTE}, or null`, {
      argument,
      reason: 'OUT_OF_RANGE',
    });
  }
  return perMinute;
}

export const agencyControlResolvers: GraphQLResolverMap<GatewayContext> = {
  Mutation: {
    deactivateAgency(_: unknown, { id }: { id: string }, context) {
      hubAdminOnly(context.caller, 'deactivates an agency');
      // An administrator who switched off their own agency could not switch it back on.
      if (id === context.caller.agencyId) {
        throw ERRORS.BAD_USER_INPUT.err('A hub administrator does not deactivate their own agency', {
          argument: 'id',
          reason: 'OWN_AGENCY',
        });
      }
      return context.hub.agencyControls.deactivate(id);
    },

    reactivateAgency(_: unknown, { id }: { id: string }, context) {
      hubAdminOnly(context.caller, 'reactivates an agency');
      return context.hub.agencyControls.reactivate(id);
    },

    /**
     * The municipalities it serves, its seat always among them (an agency serves the town it sits in): from the
     * next request on, on every replica (the register is among the bases, whose version the change bumps).
     */
    async setAgencyJurisdiction(_: unknown, args: { agencyId: string; jurisdiction: readonly string[] }, context) {
      const { caller, hub } = context;
      hubAdminOnly(caller, "sets an agency's jurisdiction");
      // Its own jurisdiction would be an own-domain basis it gave itself (the town a DV victim fled, say).
      if (args.agencyId === caller.agencyId) {
        throw ERRORS.BAD_USER_INPUT.err("A hub administrator does not set their own agency's jurisdiction", {
          argument: 'agencyId',
          reason: 'OWN_AGENCY',
        });
      }
      const agency = await hub.agency.load(args.agencyId);
      if (!agency) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument: 'agencyId' });
      for (const code of args.jurisdiction) {
        if (!(await isRegisteredMunicipality(hub, code))) throw unknownMunicipality('jurisdiction');
      }
      return hub.agencyControls.setJurisdiction(agency.id, [
        ...new Set([agency.municipalityCode, ...args.jurisdiction]),
      ]);
    },

    setAgencyRateLimit(_: unknown, args: { agencyId: string; perMinute?: number | null }, context) {
      hubAdminOnly(context.caller, "sets an agency's rate limit");
      return context.hub.agencyControls.setRateLimit(args.agencyId, rateLimitArgument(args.perMinute, 'perMinute'));
    },
  },

  Agency: {
    active: (agency: AgencyRow) => agency.deactivatedAt === null,
  },
};
