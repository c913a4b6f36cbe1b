// A person's move in the hub's register, told to the agency subgraphs that hold records of her. A subgraph
// counts each record it makes in the municipality the person was registered in when it was made (CONTRACT.md
// v2: its dashboards, and which agencies may act on the record by its id). When a DV transfer moves her, her
// records must count where she now lives, or the agencies of the town she fled would still act on them by id
// and count her in their dashboards. Where she now lives is DV_LOCATION: the hub first asks each subgraph
// whether it holds any record of her that counts somewhere (a body naming no municipality), and tells the
// move only to those that do. The gateway alone may ask or say so: the request is signed like any subgraph
// request, for the hub's own identity, which no agency can hold.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Sql } from 'postgres';
import { ERRORS } from './errors.js';
import { isUuid } from './ids.js';
import { readBody, refuseUnreadBody, requestError, sendGraphQLError, sendJson } from './http.js';
import type { SignedCaller } from './signing.js';

/** The identity the hub signs its own requests with; `registerAgency` refuses it as an agency id. */
export const HUB_SYSTEM_AGENCY = 'hub';

/** Where a subgraph takes relocations, beside its `/graphql` (resolved against the subgraph's GraphQL URL). */
export const RELOCATIONS_PATH = 'relocations';

/** One person's move: from now on her records count in `municipalityCode`. */
export interface Relocation {
  readonly personId: string;
  readonly municipalityCode: string;
}

/** What the hub asks before it tells a move: whether the subgraph holds any record of her a move re-counts. */
export interface RelocationQuestion {
  readonly personId: string;
}

/** A subgraph's records that count in a municipality, as a move re-counts them. */
export interface Relocate {
  /** Whether the tables a move re-counts hold any record of the person: only then is it told of her move. */
  holds(sql: Sql, personId: string): Promise<boolean>;
  /**
   * Re-counts the person's records in her new municipality, in the subgraph's own tables; resolves to how
   * many records it moved. Idempotent: the same move told twice moves nothing more.
   */
  move(sql: Sql, relocation: Relocation): Promise<number>;
}

/** A table whose rows count in `municipality_code`, and the column naming the row's person. */
export interface RelocatedTable {
  /** Schema-qualified, e.g. `employment.placement`. */
  readonly table: string;
  /** @default 'person_id' */
  readonly personColumn?: string;
}

/**
 * The re-count of a subgraph whose records count in a municipality: every row of the person in these
 * tables moves to her new municipality, in one transaction; rows already there are left as they are.
 */
export function relocateIn(tables: readonly RelocatedTable[]): Relocate {
  return {
    async holds(sql, personId) {
      for (const { table, personColumn = 'person_id' } of tables) {
        const [row] = await sql`select 1 from ${sql(table)} where ${sql(personColumn)} = ${personId} limit 1`;
        if (row) return true;
      }
      return false;
    },
    move: (sql, { personId, municipalityCode }) =>
      sql.begin(async (tx) => {
        let moved = 0;
        for (const { table, personColumn = 'person_id' } of tables) {
          const result = await tx`
            update ${tx(table)} set municipality_code = ${municipalityCode}
            where ${tx(personColumn)} = ${personId} and municipality_code is distinct from ${municipalityCode}`;
          moved += result.count;
        }
        return moved;
      }),
  };
}

const MAX_BODY_BYTES = 4096;

/** 全国地方公共団体コード, six digits with its check digit, as the register holds it. */
const MUNICIPALITY_CODE = /^\d{6}$/;

/** The body `{ personId, municipalityCode }` (a move), `{ personId }` (the question before one), or why it is neither. */
function parseRelocation(text: string): Relocation | RelocationQuestion | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON';
  }
  const { personId, municipalityCode } = (body ?? {}) as Record<string, unknown>;
  if (typeof personId !== 'string' || !isUuid(personId)) return 'personId is not a valid id';
  if (municipalityCode === undefined) return { personId: personId.toLowerCase() };
  if (typeof municipalityCode !== 'string' || !MUNICIPALITY_CODE.test(municipalityCode))
    return 'municipalityCode is not a 6-digit 全国地方公共団体コード';
  return { personId: personId.toLowerCase(), municipalityCode };
}

export interface RelocationRouteOptions {
  /** Checks the gateway's signature over the raw body, as for `/graphql`. */
  readonly verify: (req: IncomingMessage, body: string) => Promise<SignedCaller>;
  readonly sql: Sql;
  /** The subgraph's own re-count; a subgraph that counts no record anywhere has none and moves nothing. */
  readonly relocate: Relocate | undefined;
}

/**
 * `POST /relocations`, signed by the gateway for the hub: a move answers `{ ok, records }` (how many it
 * moved), the question before one `{ ok, holds }`.
 */
export function relocationRoute(options: RelocationRouteOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.endsWith(`/${RELOCATIONS_PATH}`)) return false;
    if (req.method !== 'POST') {
      requestError(res, 405, 'BAD_REQUEST', `Only POST is answered at /${RELOCATIONS_PATH}`);
      return true;
    }
    let text: string;
    try {
      text = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      refuseUnreadBody(res, error, MAX_BODY_BYTES);
      return true;
    }
    let signed: SignedCaller;
    try {
      signed = await options.verify(req, text);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      sendGraphQLError(res, error);
      return true;
    }
    if (signed.agencyId !== HUB_SYSTEM_AGENCY) {
      requestError(res, 403, ERRORS.FORBIDDEN.code, 'Only the hub itself relocates a person', { reason: 'HUB_ONLY' });
      return true;
    }
    const relocation = parseRelocation(text);
    if (typeof relocation === 'string') {
      requestError(res, 400, ERRORS.BAD_USER_INPUT.code, relocation);
      return true;
    }
    if (!('municipalityCode' in relocation)) {
      const holds = options.relocate ? await options.relocate.holds(options.sql, relocation.personId) : false;
      sendJson(res, 200, { ok: true, holds });
      return true;
    }
    const records = options.relocate ? await options.relocate.move(options.sql, relocation) : 0;
    sendJson(res, 200, { ok: true, records });
    return true;
  };
}
