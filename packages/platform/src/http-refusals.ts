// What POST /graphql refuses before its body is read: the method, an operation sent in a URL, the body's
// media type, charset and encoding, and an Accept header that takes no JSON answer. Each refusal is made
// once and answered by http.ts.

import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';

/** The search parameters of a GraphQL operation sent by GET (GraphQL over HTTP). */
const OPERATION_PARAMS = ['query', 'variables', 'operationName', 'extensions'];

/** A request refused before its body is read: its status, error code, message and extensions, and any header. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly extensions?: Record<string, unknown>;
  readonly header?: readonly [name: string, value: string];
}

/** A body the endpoint cannot read as sent (415), with the header that says what it takes. */
const unsupported = (reason: string, message: string, header: readonly [string, string]): Refusal => ({
  status: 415,
  code: 'BAD_REQUEST',
  message,
  extensions: { reason },
  header,
});

/** The refusals that depend on the method alone, made once. */
const SIGNED_POST_ONLY: Refusal = {
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'Only signed POST requests are answered here',
  extensions: { reason: 'SIGNATURE_MISSING' },
};
/** A method the endpoint does not answer (405), with the one it does. */
const postOnly = (message: string): Refusal => ({
  status: 405,
  code: 'BAD_REQUEST',
  message,
  extensions: { reason: 'POST_ONLY' },
  header: ['allow', 'POST'],
});
/** The charsets a JSON body is read in: UTF-8 and its subset US-ASCII. */
const UTF_8 = new Set(['utf-8', 'utf8', 'us-ascii']);

/** Whether every `charset` parameter of a Content-Type (none, most often) names UTF-8, plainly or quoted. */
function charsetsAreUtf8(contentType: string): boolean {
  for (const parameter of contentType.split(';').slice(1)) {
    const at = parameter.indexOf('=');
    if (at < 0 || parameter.slice(0, at).trim().toLowerCase() !== 'charset') continue;
    const value = parameter.slice(at + 1).trim();
    const unquoted = /^"[^"]*"$/.test(value) ? value.slice(1, -1) : value;
    if (!UTF_8.has(unquoted.toLowerCase())) return false;
  }
  return true;
}

/** The media types of an answer, as Apollo Server negotiates them for a single result. */
const ANSWER_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/** Whether an Accept header (none accepts anything) takes one of the answer's media types. */
const acceptsAnAnswer = (accept: string | undefined): boolean =>
  !accept || new Negotiator({ headers: { accept } }).mediaType(ANSWER_MEDIA_TYPES) !== undefined;

const NOT_ACCEPTABLE: Refusal = {
  status: 406,
  code: 'BAD_REQUEST',
  message: 'The answer is JSON: accept application/json or application/graphql-response+json',
  extensions: { reason: 'NOT_ACCEPTABLE' },
};
const NOT_IN_A_URL = postOnly('Send GraphQL operations as POST /graphql, not in a URL');
const POST_ONLY = postOnly('Send GraphQL operations as POST /graphql');

/**
 * Why a request for /graphql is refused before its body is read, or null when it may be read: the method,
 * whether it is an operation sent in a URL, the media type and the encoding of its body.
 */
export function refusalOf(
  req: IncomingMessage,
  url: URL,
  signedOnly: boolean,
  servesPage: boolean,
  credentialHeader: string | undefined,
): Refusal | null {
  if (signedOnly && req.method !== 'POST') return SIGNED_POST_ONLY;
  if (credentialHeader && !req.headers[credentialHeader]) return SIGNED_POST_ONLY;
  // An operation in a URL ends up in proxies' and servers' access logs, its ids and variables with it:
  // operations are answered as POST /graphql only (a GET stays for the explorer's page in development).
  if (req.method === 'GET' && OPERATION_PARAMS.some((name) => url.searchParams.has(name))) return NOT_IN_A_URL;
  // Any other method, and a GET that is not a browser asking for the explorer's page, gets the same answer:
  // operations are POST only (Apollo's own refusals spoke of GET, which the hub does not answer).
  if (req.method !== 'POST') {
    const pageRequest = servesPage && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    return pageRequest ? null : POST_ONLY;
  }
  // A body is read as JSON only when it says it is: a client sending XML, a form or no media type at all
  // hears so (415), rather than having it run because it happened to parse.
  const mediaType = req.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return unsupported('UNSUPPORTED_MEDIA_TYPE', 'Send the operation as JSON: Content-Type: application/json', [
      'accept-post',
      'application/json',
    ]);
  }
  // The body is read as UTF-8, the one charset JSON is exchanged in (RFC 8259 8.1): another would be misread.
  if (!charsetsAreUtf8(req.headers['content-type']!)) {
    return unsupported('UNSUPPORTED_CHARSET', 'Send the body in UTF-8: Content-Type: application/json; charset=utf-8', [
      'accept-post',
      'application/json; charset=utf-8',
    ]);
  }
  // An answer the client cannot take is refused before the operation runs, not after it (Apollo Server
  // negotiates when the answer is ready: a mutation would be written, and its reads logged, all the same).
  if (!acceptsAnAnswer(req.headers.accept)) return NOT_ACCEPTABLE;
  // A compressed body would be read as JSON and fail as "not JSON": say what is wrong with it instead.
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return unsupported('UNSUPPORTED_ENCODING', 'Send the body uncompressed: no Content-Encoding', [
      'accept-encoding',
      'identity',
    ]);
  }
  return null;
}
