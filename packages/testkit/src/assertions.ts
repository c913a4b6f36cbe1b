// Assertions that read like the contract (CONTRACT.md "The decision", "Seeing the decisions"): a denied
// field is null with one FORBIDDEN error naming its category and reason at its path; an allowed one is
// delivered without error; every access is in the person's access log. They throw node's AssertionError,
// which every test runner reports, so a department may use them with vitest, jest or node:test alike.

import { AssertionError } from 'node:assert';
import type { DenialReason, LegalBasis } from '@hub/gateway/policy';
import { AGENCIES, type DataCategory } from '@hub/platform';
import type { GraphQLError, GraphQLResponse, TestHub } from './hub.js';

/** A response path, as GraphQL gives it (`['person', 'jobSeeker']`) or dotted (`'person.jobSeeker'`, `'people.0.name'`). */
export type ResponsePath = readonly (string | number)[] | string;

function segments(path: ResponsePath): (string | number)[] {
  if (typeof path !== 'string') return [...path];
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const show = (path: readonly (string | number)[] | undefined) => (path ?? []).join('.');

function startsWith(path: readonly (string | number)[] | undefined, prefix: readonly (string | number)[]): boolean {
  return prefix.every((segment, i) => path?.[i] === segment);
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** One error as a failure message tells it: where, its code and reason, and its message. */
function describeError(error: GraphQLError): string {
  const code = error.extensions?.['code'];
  const reason = error.extensions?.['reason'];
  const said = [show(error.path) || '(no path)', code, reason].filter((part) => part !== undefined).join(' ');
  return `${said}: ${error.message}`;
}

/** `HTTP 401`, when the result carries its status (the kit's clients' results do). */
const statusOf = (result: GraphQLResponse<unknown>) =>
  typeof result.status === 'number' ? `HTTP ${result.status}` : 'the answer';

/**
 * What else the answer says, for a failure message: its HTTP status and every error but a denial at a path (a
 * request refused whole, 401 UNKNOWN_AGENCY, 400 GRAPHQL_VALIDATION_FAILED, 429 RATE_LIMITED, or a mutation's
 * FORBIDDEN naming no path, says why here).
 */
function answerSaid(result: GraphQLResponse<unknown>): string {
  const others = (result.errors ?? []).filter((e) => e.extensions?.['code'] !== 'FORBIDDEN' || !e.path?.length);
  const status = statusOf(result);
  return others.length ? `${status}, with ${others.map(describeError).join('; ')}` : status;
}

export interface ExpectedDenial {
  path: ResponsePath;
  category?: DataCategory;
  /**
   * The contract's denial reason, e.g. `NO_LEGAL_BASIS`, `CONSENT_REVOKED`, `PROTECTED_LOCATION`; or a
   * mutation's refusal, which names its own (`OUTSIDE_JURISDICTION`, `NOT_THE_HOLDER`, docs/schema.md).
   */
  reason?: DenialReason | (string & {});
  personId?: string;
}

/**
 * The field at `path` was denied: it is null (or absent under a null parent) and the response carries a
 * FORBIDDEN error at exactly that path with the category and reason given. Returns that error.
 */
export function expectForbidden(result: GraphQLResponse<unknown>, expected: ExpectedDenial): GraphQLError {
  const path = segments(expected.path);
  const denials = (result.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN');
  const error = denials.find((e) => show(e.path) === show(path));
  if (!error) {
    throw new AssertionError({
      message:
        `expected a FORBIDDEN error at ${show(path)}; the denials were at ` +
        `[${denials.map((e) => show(e.path)).join(', ')}]; ${answerSaid(result)}`,
      actual: result.errors ?? [],
      expected: { path, code: 'FORBIDDEN' },
      operator: 'expectForbidden',
    });
  }
  const actual = {
    category: error.extensions?.['category'],
    reason: error.extensions?.['reason'],
    personId: error.extensions?.['personId'],
  };
  // Only what the test asked about is compared, and shown in the diff.
  const asked = (['category', 'reason', 'personId'] as const).filter((key) => expected[key] !== undefined);
  for (const key of asked) {
    if (actual[key] !== expected[key]) {
      throw new AssertionError({
        message: `the denial at ${show(path)} has ${key} ${String(actual[key])}, expected ${expected[key]}`,
        actual: Object.fromEntries(asked.map((k) => [k, actual[k]])),
        expected: Object.fromEntries(asked.map((k) => [k, expected[k]])),
        operator: 'expectForbidden',
      });
    }
  }
  const value = valueAt(result.data, path);
  if (value !== null && value !== undefined) {
    throw new AssertionError({
      message: `the denied field ${show(path)} was delivered`,
      actual: value,
      expected: null,
      operator: 'expectForbidden',
    });
  }
  return error;
}

/**
 * The response carries no error at or under `path` (no error at all without a path), nor one that names no
 * path (a subgraph unreachable, or refusing the gateway's signature: it may concern any path), and the
 * value at `path` is there. Returns that value.
 */
export function expectAllowed<T = unknown>(result: GraphQLResponse<unknown>, path?: ResponsePath): T {
  const prefix = path === undefined ? [] : segments(path);
  const errors = (result.errors ?? []).filter((e) => !e.path?.length || startsWith(e.path, prefix));
  if (errors.length) {
    throw new AssertionError({
      message:
        `expected ${prefix.length ? show(prefix) : 'the response'} to be allowed; it has ${errors.length} ` +
        `error(s): ${errors.map(describeError).join('; ')}; ${statusOf(result)}`,
      actual: errors,
      expected: [],
      operator: 'expectAllowed',
    });
  }
  const value = valueAt(result.data, prefix);
  if (value === undefined) {
    throw new AssertionError({
      message: `nothing was delivered at ${show(prefix) || 'data'}; ${answerSaid(result)}`,
      actual: result.data,
      expected: `a value at ${show(prefix)}`,
      operator: 'expectAllowed',
    });
  }
  return value as T;
}

export interface ExpectedLogEntry {
  personId: string;
  agencyId: string;
  category?: DataCategory;
  allowed?: boolean;
  /** `OWN_DOMAIN`, `CONSENT`, `SUPPORT_MEETING`, `CHILD_COUNCIL` or `EMERGENCY` for an allowed access (`AUDIT`: a hub auditor's review). */
  basis?: LegalBasis;
  /** The denial reason for a denied one. */
  reason?: DenialReason;
  /** The X-Hub-Purpose the request stated. */
  purpose?: string;
  staffId?: string;
  /**
   * Only entries made at or after this instant (take it before the request): an entry an earlier test left
   * would match otherwise.
   */
  since?: Date;
}

export interface AccessLogEntry {
  at: string;
  agency: { id: string };
  staffId: string;
  categories: DataCategory[];
  allowed: boolean;
  basis: LegalBasis | null;
  reason: DenialReason | null;
  purpose: string | null;
  /** The consent an allowed access rested on, when its basis is `CONSENT`. */
  consentId: string | null;
  /** The meeting or council it rested on, when its basis is `SUPPORT_MEETING` or `CHILD_COUNCIL`. */
  meetingId: string | null;
  /** The emergency access it rested on, when its basis is `EMERGENCY`. */
  emergencyId: string | null;
}

const ACCESS_LOG = /* GraphQL */ `
  query TestkitAccessLog($personId: ID!) {
    accessLog(personId: $personId, first: 200) {
      edges {
        node {
          at
          agency {
            id
          }
          staffId
          categories
          allowed
          basis
          reason
          purpose
          consentId
          meetingId
          emergencyId
        }
      }
    }
  }
`;

/**
 * The person's access log as an auditor reads it, newest first (its latest 200 entries).
 * @param auditor the agency whose auditor reads the log. @default みなみ野市 福祉総合相談課 (minamino-welfare)
 */
export async function readAccessLog(
  hub: Pick<TestHub, 'as'>,
  personId: string,
  auditor: string = AGENCIES.minaminoWelfare.id,
): Promise<AccessLogEntry[]> {
  const read = await hub
    .as(auditor, { roles: ['auditor'] })
    .query<{ accessLog: { edges: { node: AccessLogEntry }[] } }>(ACCESS_LOG, { personId });
  if (read.errors?.length || !read.data) {
    // The default auditor is the demo's: a hub started empty does not know it.
    const unknownAuditor = read.errors?.some((error) => error.extensions?.['reason'] === 'UNKNOWN_AGENCY');
    const hint = unknownAuditor
      ? ` (the auditor ${auditor} is not an agency of this hub: pass as auditor an agency you registered)`
      : '';
    throw new AssertionError({
      message: `the access log could not be read${hint}: ${JSON.stringify(read.errors)}`,
      actual: read.errors,
      expected: undefined,
      operator: 'readAccessLog',
    });
  }
  return read.data.accessLog.edges.map((e) => e.node);
}

/** A note that the agency id names no registered agency (a misspelt one, say), or '' when it does. */
async function unregistered(hub: Pick<TestHub, 'as'>, agencyId: string, reader: string): Promise<string> {
  const read = await hub.as(reader).query<{ agencies: { id: string }[] }>('{ agencies { id } }');
  const ids = read.data?.agencies.map((agency) => agency.id);
  if (!ids || ids.includes(agencyId)) return '';
  return `; "${agencyId}" names no agency registered with this hub (its agencies: ${ids.join(', ')})`;
}

/**
 * The person's access log, read as an auditor sees it (newest first, its latest 200 entries), holds an entry
 * matching everything given. Returns the newest such entry.
 * @param auditor the agency whose auditor reads the log. @default みなみ野市 福祉総合相談課 (minamino-welfare)
 */
export async function expectLogged(
  hub: Pick<TestHub, 'as'>,
  expected: ExpectedLogEntry,
  auditor: string = AGENCIES.minaminoWelfare.id,
): Promise<AccessLogEntry> {
  const entries = await readAccessLog(hub, expected.personId, auditor);
  const found = entries.find(
    (e) =>
      e.agency.id === expected.agencyId &&
      (expected.category === undefined || e.categories.includes(expected.category)) &&
      (expected.allowed === undefined || e.allowed === expected.allowed) &&
      (expected.basis === undefined || e.basis === expected.basis) &&
      (expected.reason === undefined || e.reason === expected.reason) &&
      (expected.purpose === undefined || e.purpose === expected.purpose) &&
      (expected.staffId === undefined || e.staffId === expected.staffId) &&
      (expected.since === undefined || Date.parse(e.at) >= expected.since.getTime()),
  );
  if (!found) {
    throw new AssertionError({
      message:
        `no access-log entry of ${expected.agencyId} matches; the person's log has ${entries.length} entries` +
        (await unregistered(hub, expected.agencyId, auditor)),
      actual: entries.filter((e) => e.agency.id === expected.agencyId),
      expected,
      operator: 'expectLogged',
    });
  }
  return found;
}
