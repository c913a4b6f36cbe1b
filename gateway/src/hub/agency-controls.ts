// What a hub administrator controls of a registered agency: switching it off (its tokens are refused from
// the next request on, since every request loads the agency afresh) and on again (with new tokens only),
// its jurisdiction and its own requests-per-minute limit. Each change is recorded in its own transaction,
// with who made it and the agency before and after (store/agency-changes.ts), for auditors (agencyChanges).

import {
  ERRORS,
  type GraphQLResolverMap,
  type Logger,
  type oneEach,
  type Sql,
  type TransactionSql,
  listPage,
} from '@hub/platform';
import type { GatewayContext } from '../context.js';
import { auditorOnly, hubAdminOnly, isRegisteredMunicipality, requireAgencies, unknownMunicipality } from './guards.js';
import type { AgencyRow } from './store.js';
import {
  logAgencyChange,
  recordAgencyChange,
  stateAfter,
  stateBefore,
  type AgencyChangeKind,
  type RegisterChanger,
} from './store/agency-changes.js';

/** The highest limit a hub administrator may set, as the column's check says. */
const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

/** Whether `after` differs from `before` in what a record of the register's changes holds. */
const changesControls = (before: AgencyRow, after: AgencyRow): boolean =>
  before.jurisdiction.join() !== after.jurisdiction.join() ||
  before.rateLimitPerMinute !== after.rateLimitPerMinute ||
  (before.deactivatedAt === null) !== (after.deactivatedAt === null);

export function createAgencyControlStore(
  sql: Sql,
  agency: ReturnType<typeof oneEach<string, AgencyRow>>,
  logger?: Logger,
) {
  /**
   * Changes one agency by `update`, in a transaction that locks its row first and records the change with
   * the agency before and after it (store/agency-changes.ts): no change without its record, and no record
   * without a change (switching off an agency already off, setting the jurisdiction it has, records nothing).
   * NOT_FOUND (on `argument`) for an id the register does not hold, recording nothing.
   */
  const change = async (
    id: string,
    kind: AgencyChangeKind,
    by: RegisterChanger,
    update: (tx: TransactionSql) => Promise<AgencyRow[]>,
    argument = 'id',
  ): Promise<AgencyRow> => {
    const changed = await sql.begin(async (tx) => {
      const [before] = await tx<AgencyRow[]>`select * from hub.agency where id = ${id} for update`;
      if (!before) return null;
      const [after] = await update(tx);
      const record = changesControls(before, after!) ? await recordAgencyChange(tx, kind, by, before, after!) : null;
      return { after: after!, record };
    });
    if (!changed) throw ERRORS.NOT_FOUND.err('No agency with that id', { argument });
    if (changed.record) logAgencyChange(logger, changed.record);
    agency.clear(id).prime(id, changed.after);
    return changed.after;
  };
  return {
    /** Keeps the first deactivation's time when it is repeated. */
    deactivate: (id: string, by: RegisterChanger) =>
      change(
        id,
        'DEACTIVATED',
        by,
        (tx) => tx<AgencyRow[]>`
          update hub.agency set deactivated_at = coalesce(deactivated_at, clock_timestamp()) where id = ${id} returning *`,
      ),
    /**
     * Switching it back on starts it with new tokens: those it held before (some perhaps the reason it was
     * switched off) stay refused. Reactivating an active agency changes nothing.
     */
    reactivate: (id: string, by: RegisterChanger) =>
      change(
        id,
        'REACTIVATED',
        by,
        (tx) => tx<AgencyRow[]>`
          update hub.agency
          set tokens_issued_after = case when deactivated_at is null then tokens_issued_after else now() end,
              deactivated_at = null
          where id = ${id} returning *`,
      ),
    setJurisdiction: (id: string, jurisdiction: readonly string[], by: RegisterChanger) =>
      change(
        id,
        'JURISDICTION_SET',
        by,
        (tx) => tx<AgencyRow[]>`
          update hub.agency set jurisdiction = ${[...jurisdiction]}::text[] where id = ${id} returning *`,
        'agencyId',
      ),
    setRateLimit: (id: string, perMinute: number | null, by: RegisterChanger) =>
      change(
        id,
        'RATE_LIMIT_SET',
        by,
        (tx) => tx<AgencyRow[]>`
          update hub.agency set rate_limit_per_minute = ${perMinute} where id = ${id} returning *`,
        'agencyId',
      ),
  };
}

/** Who is changing the register: the caller's agency and staff member, in this request. */
export const changerOf = (context: GatewayContext): RegisterChanger => ({
  agencyId: context.caller.agencyId,
  staffId: context.caller.staffId,
  requestId: context.requestId,
});

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
  Query: {
    async agencyChanges(
      _: unknown,
      args: { agencyId?: string | null; first?: number | null; after?: string | null },
      { caller, hub },
    ) {
      auditorOnly(caller, "reads the agency register's changes");
      // As the access log's search takes it: an agency the register does not hold is UNKNOWN_AGENCY.
      if (args.agencyId != null) await requireAgencies(hub, [args.agencyId], 'agencyId', { deactivated: 'allowed' });
      return listPage(args, 'a change of this list', ({ first, after }) =>
        hub.agencyChanges.list(args.agencyId ?? null, first, after),
      );
    },
  },

  AgencyChange: {
    before: stateBefore,
    after: stateAfter,
  },

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
      return context.hub.agencyControls.deactivate(id, changerOf(context));
    },

    reactivateAgency(_: unknown, { id }: { id: string }, context) {
      hubAdminOnly(context.caller, 'reactivates an agency');
      return context.hub.agencyControls.reactivate(id, changerOf(context));
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
      return hub.agencyControls.setJurisdiction(
        agency.id,
        [...new Set([agency.municipalityCode, ...args.jurisdiction])],
        changerOf(context),
      );
    },

    setAgencyRateLimit(_: unknown, args: { agencyId: string; perMinute?: number | null }, context) {
      hubAdminOnly(context.caller, "sets an agency's rate limit");
      return context.hub.agencyControls.setRateLimit(
        args.agencyId,
        rateLimitArgument(args.perMinute, 'perMinute'),
        changerOf(context),
      );
    },
  },

  Agency: {
    active: (agency: AgencyRow) => agency.deactivatedAt === null,
  },
};
