// The fetcher of an agency data source: signs each subgraph request for that subgraph alone (who is
// calling, the categories allowed, the exact body), sends no identity in plain headers, bounds each
// attempt in time and retries a read that found the subgraph unreachable, signed anew.

import { setTimeout as sleep } from 'node:timers/promises';
import { getOperationAST, parse } from 'graphql';
import {
  currentTraceparent,
  DOMAINS,
  isDataCategory,
  SIGNATURE_HEADER,
  signSubgraphRequest,
  type DataCategory,
  type Domain,
  type GatewayKeys,
  type SubgraphName,
} from '@hub/platform';
import { createHttpFetcher, ResponseTooLargeError, type Fetcher } from './http-fetcher.js';

export type { Fetcher };

/** Headers the data source sets for the fetcher to sign; they never leave the gateway. */
export const IDENTITY_HEADERS = {
  agency: 'x-hub-agency',
  staff: 'x-hub-staff',
  /** Comma-separated data categories this fetch may read; absent or empty means none. */
  categories: 'x-hub-categories',
  /** The calling agency's domain. */
  domain: 'x-hub-domain',
  /** Comma-separated municipality codes the calling agency serves. */
  jurisdiction: 'x-hub-jurisdiction',
  /** JSON object: the municipality each person a recording names is registered in, by person id. */
  registeredIn: 'x-hub-registered-in',
  requestId: 'x-request-id',
} as const;

/** The caller as the data sources hand it to the fetcher to sign. */
interface SignedFor {
  readonly agencyId: string;
  readonly staffId: string;
  readonly domain: string;
  readonly jurisdiction: readonly string[];
}

/** The staff id as the identity header carries it (percent-encoded: a header holds Latin-1 only). */
export const staffHeader = (staffId: string): string => encodeURIComponent(staffId);

/**
 * Sets the identity headers of a fetch for the fetcher to sign. A staff id is any one line of text an
 * identity provider gives (山田太郎 included), and a header holds Latin-1 only: it travels percent-encoded.
 */
export function setIdentityHeaders(
  headers: { set(name: string, value: string): void } | undefined,
  caller: SignedFor,
  requestId: string,
): void {
  headers?.set(IDENTITY_HEADERS.agency, caller.agencyId);
  headers?.set(IDENTITY_HEADERS.staff, staffHeader(caller.staffId));
  headers?.set(IDENTITY_HEADERS.requestId, requestId);
  headers?.set(IDENTITY_HEADERS.domain, caller.domain);
  headers?.set(IDENTITY_HEADERS.jurisdiction, caller.jurisdiction.join(','));
}

function parseCategories(value: string | undefined): DataCategory[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) if (!isDataCategory(name)) throw new Error(`not a data category: ${name}`);
  return names as DataCategory[];
}

function parseDomain(value: string | undefined): Domain | undefined {
  if (value === undefined || value === '') return undefined;
  if (!DOMAINS.includes(value as Domain)) throw new Error(`not a domain: ${value}`);
  return value as Domain;
}

function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
}

function parseRegisteredIn(value: string | undefined): Record<string, string> {
  return value ? (JSON.parse(value) as Record<string, string>) : {};
}

export interface SigningFetcherOptions {
  /**
   * Time limit of one attempt (connect, send and the whole response), in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Further attempts of a query that failed to connect or got a 5xx; a mutation is never repeated.
   * @default 1
   */
  retries?: number;
  /**
   * Pause before the first retry, doubled before each next one, in milliseconds.
   * @default 50
   */
  backoffMs?: number;
  /**
   * The largest answer taken, in bytes (createHttpFetcher's `maxResponseBytes`).
   * @default 32 MiB
   */
  maxResponseBytes?: number;
  /**
   * What sends the signed request.
   * @default a kept-alive node:http fetcher (createHttpFetcher)
   */
  transport?: Fetcher;
}

/** Whether the body is a query (not a mutation), so that sending it twice changes nothing. */
function isRead(body: string): boolean {
  try {
    const { query, operationName } = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return false;
    const name = typeof operationName === 'string' ? operationName : undefined;
    return getOperationAST(parse(query), name)?.operation === 'query';
  } catch {
    return false;
  }
}

/**
 * A failure worth another attempt: the connection failed (not our time limit, nor an answer too large, which
 * would be as large again) or the subgraph answered 5xx.
 */
function worthRetrying(outcome: { response: { status: number } } | { error: unknown }): boolean {
  if ('response' in outcome) return outcome.response.status >= 500;
  const error = outcome.error;
  if (error instanceof ResponseTooLargeError) return false;
  return !(error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError'));
}

/**
 * A fetcher that signs every request for `subgraph` with the gateway's private key and sends it over
 * kept-alive connections. A request without a calling agency is not sent.
 */
export function createSigningFetcher(
  subgraph: SubgraphName,
  key: GatewayKeys,
  options: SigningFetcherOptions = {},
): Fetcher {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 1;
  const backoffMs = options.backoffMs ?? 50;
  const transport =
    options.transport ??
    createHttpFetcher(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes });
  return async (url, init = {}) => {
    const incoming = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const agencyId = incoming[IDENTITY_HEADERS.agency];
    const staffHeader = incoming[IDENTITY_HEADERS.staff];
    const staffId = staffHeader === undefined ? undefined : decodeURIComponent(staffHeader);
    const requestId = incoming[IDENTITY_HEADERS.requestId];
    if (!agencyId || !staffId || !requestId) throw new Error(`no calling agency to sign a ${subgraph} request for`);
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');
    const categories = parseCategories(incoming[IDENTITY_HEADERS.categories]);
    const domain = parseDomain(incoming[IDENTITY_HEADERS.domain]);
    const jurisdiction = parseList(incoming[IDENTITY_HEADERS.jurisdiction]);
    const registeredIn = parseRegisteredIn(incoming[IDENTITY_HEADERS.registeredIn]);
    // The subgraph believes only the signature: identity in plain headers would be a second, unchecked story.
    const plain = Object.fromEntries(Object.entries(incoming).filter(([name]) => !name.startsWith('x-hub-')));
    // Whether the body may be sent again is only worked out once an attempt has failed.
    let attempts: number | undefined;

    for (let attempt = 1; ; attempt += 1) {
      // Signed per attempt: the subgraph accepts a signature (its jti) once, so a retry needs its own.
      const signature = await signSubgraphRequest({
        subgraph,
        key,
        body,
        agencyId,
        staffId,
        requestId,
        categories,
        domain,
        jurisdiction,
        registeredIn,
        traceparent: currentTraceparent(),
        waitsMs: timeoutMs,
      });
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal as AbortSignal, timeout]) : timeout;
      const outcome = await transport(url, {
        method: init.method ?? 'POST',
        headers: { ...plain, [SIGNATURE_HEADER]: signature },
        body,
        signal,
      }).then(
        (response) => ({ response }),
        (error: unknown) => ({ error }),
      );
      if (!worthRetrying(outcome) || attempt >= (attempts ??= 1 + (retries > 0 && isRead(body) ? retries : 0))) {
        if ('response' in outcome) return outcome.response;
        throw outcome.error;
      }
      await sleep(backoffMs * 2 ** (attempt - 1));
    }
  };
}
