// The hub's error registry: the only error codes a client ever sees, each with its HTTP status.
// Anything else is masked to INTERNAL_SERVER_ERROR and logged with its original.

import { HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';

interface ErrorCode {
  readonly code: string;
  readonly status: number;
  readonly description: string;
  /** `headers` go on the HTTP response when this error is the whole response (e.g. Retry-After). */
  err(message: string, extensions?: Record<string, unknown>, headers?: Record<string, string>): GraphQLError;
}

function define(code: string, status: number, description: string): ErrorCode {
  return {
    code,
    status,
    description,
    err(message, extensions = {}, headers) {
      // Apollo Server takes the response's status and headers from here (it wants a HeaderMap).
      const http: Record<string, unknown> = { status };
      if (headers) http['headers'] = new HeaderMap(Object.entries(headers));
      return new GraphQLError(message, { extensions: { ...extensions, code, http } });
    },
  };
}

export const ERRORS = {
  UNAUTHENTICATED: define(
    'UNAUTHENTICATED',
    401,
    'No valid token: missing, badly signed, expired, or an unknown agency.',
  ),
  FORBIDDEN: define('FORBIDDEN', 200, 'The caller has no legal basis for this data or may not perform this action.'),
  BAD_REQUEST: define('BAD_REQUEST', 400, 'The request itself is malformed, e.g. a header over its limit.'),
  BAD_USER_INPUT: define('BAD_USER_INPUT', 200, 'An argument is malformed or breaks a rule of the domain.'),
  NOT_FOUND: define('NOT_FOUND', 200, 'No record with that id.'),
  RATE_LIMITED: define(
    'RATE_LIMITED',
    429,
    "The calling agency is over its requests per minute; retry after the response's Retry-After seconds.",
  ),
  SERVICE_UNAVAILABLE: define('SERVICE_UNAVAILABLE', 503, 'A database or subgraph the request needs is not reachable.'),
  INTERNAL_SERVER_ERROR: define(
    'INTERNAL_SERVER_ERROR',
    500,
    'Something failed that the caller cannot fix; it is logged.',
  ),
} as const;

export type ErrorCodeName = keyof typeof ERRORS;

const CLIENT_CODES = new Set<string>([
  // INTERNAL_SERVER_ERROR is not among them: whatever carries it is masked, message and all.
  ...Object.keys(ERRORS).filter((code) => code !== 'INTERNAL_SERVER_ERROR'),
  // Apollo Server's own request-level codes, already safe to show.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'DOWNSTREAM_SERVICE_ERROR',
]);

const CLIENT_EXTENSIONS = new Set([
  'code',
  'reason',
  'category',
  'personId',
  'serviceName',
  'argument',
  'retryAfterSeconds',
]);

/**
 * The codes of a subgraph that failed (unreachable, too slow, a 5xx, an answer it should not have given, an
 * error without a code): only these keep `serviceName`, the outage signal that names the missing subgraph.
 * A refusal, a denial or a subgraph's own answer to the caller's input names no service, the gateway's
 * own refusals made before anything is sent among them (the gateway's executors name the subgraph of
 * every error they pass on).
 */
const OUTAGE_CODES = new Set([ERRORS.SERVICE_UNAVAILABLE.code, 'DOWNSTREAM_SERVICE_ERROR']);

/** Whether an extension is the client's to see on an error of this code. */
const toldClient = (key: string, code: string): boolean =>
  CLIENT_EXTENSIONS.has(key) && (key !== 'serviceName' || OUTAGE_CODES.has(code));

/**
 * Codes of a database or service that cannot be reached: Node's socket errors, postgres.js's own
 * connection errors, and PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (shutdown).
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '53300',
  // The server is up but refuses the login: a role switched off or its password rotated, a database gone.
  '28000',
  '28P01',
  '3D000',
  // A database switched off for connections (ALLOW_CONNECTIONS false) answers a login so; a query that
  // meets this state otherwise (rare) is told to retry rather than that the hub failed.
  '55000',
]);

/**
 * The error a GraphQL error was made from (`originalError`), else its `cause`. Read by shape: a subgraph's
 * resolver errors are wrapped by whichever copy of graphql-js runs it, which `instanceof` may not know.
 */
const underlying = (error: Error): unknown => (error as { originalError?: unknown }).originalError ?? error.cause;

/** Whether an error says a database or service is unreachable (not that a query was wrong). */
export function isUnreachable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = underlying(e), depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^(08|57P)/.test(code))) return true;
  }
  return false;
}

/**
 * What may be logged of an unexpected error: its class, its code (e.g. a SQLSTATE) and its stack frames,
 * but not its message or properties, which can carry query parameters and so personal data.
 */
export function describeSafely(error: unknown): { class: string; code?: string; frames?: string } {
  if (!(error instanceof Error)) return { class: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    class: error.constructor.name,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { frames: error.stack.split('\n').slice(1, 8).join('\n') } : {}),
  };
}

/**
 * What is logged of a dependency out of reach (isUnreachable), an outage and no fault of the hub: its class
 * and code name the cause; a stack would say only where the hub noticed it.
 */
export function describeCause(error: unknown): { class: string; code?: string } {
  const { frames: _frames, ...cause } = describeSafely(error);
  return cause;
}

// Where graphql-js prints the value it could not coerce: after these heads, up to the next clause.
const VARIABLE_HEAD = /^(Variable "\$[_A-Za-z]\w*") got invalid value /;
const LITERAL_HEAD = /^(Expected value of type "[^"]+"), found /;
/** What may follow a variable's value: where in it (` at "$input.name"`), then the next clause. */
const VARIABLE_TAIL = /^((?: at "[_A-Za-z]\w*(?:\.[_A-Za-z]\w*|\[\d+\])*")?(?:; |$))/;
const LITERAL_TAIL = /^(; |\.$)/;

/**
 * Where a value printed by graphql-js ends: the first point outside its strings and brackets where `tail`
 * matches. Its strings may hold anything (`; ` included), so they are skipped whole, escapes and block
 * strings too. -1 when no such point.
 */
function valueEnd(text: string, from: number, tail: RegExp): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '"') {
      const block = text.startsWith('"""', i);
      const close = block ? '"""' : '"';
      let j = i + close.length;
      while (j < text.length && !text.startsWith(close, j)) j += text[j] === '\\' ? 2 : 1;
      i = j + close.length - 1;
      continue;
    }
    if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
    else if (depth <= 0 && tail.test(text.slice(i))) return i;
  }
  return tail.test('') ? text.length : -1;
}

/** The message with the value after `head` cut out (when `head` is where it starts). */
function cutValue(message: string, head: RegExp, tail: RegExp, replacement: string): string {
  const match = head.exec(message);
  if (!match) return message;
  const end = valueEnd(message, match[0].length, tail);
  // A value that does not end where expected: everything after the head is cut, whatever it held.
  return end === -1 ? `${match[1]}${replacement}.` : `${match[1]}${replacement}${message.slice(end)}`;
}

// The built-in scalars and enums repeat it too, as the message's last clause (an enum's followed by suggestions).
const SCALAR_VALUE = /\b((?:Int|Float|String|Boolean|ID) cannot represent [^:]*?value): .*$/s;
const ENUM_VALUE = /\b(Enum "\w+" cannot represent non-(?:enum|string) value): .*?\.((?: Did you mean .*)?)$/s;
const ENUM_NAME = /\bValue ".*?" (does not exist in "\w+" enum\.)/s;
// A variable's object may name a field its type does not have: a key that is no GraphQL name can be anything the
// caller wrote (a name, an address), so only a key that could be a field's name is repeated.
const UNKNOWN_FIELD = /\bField "((?:[^"\\]|\\.)*)" is not defined by type "(\w+)"/g;
const GRAPHQL_NAME = /^[_A-Za-z]\w*$/;
// A syntax error quotes the token it stopped at: a string, a number or a name there is whatever the caller
// wrote (a name, a phone number written as a number); the error's location says where it is.
const TOKEN_VALUE = /\b(found|Unexpected) (String|BlockString|Int|Float|Name) ".*"/s;

/**
 * graphql-js repeats the value it could not coerce (`Variable "$birthDate" got invalid value "1980-02-30";
 * …`, `Expected value of type "Date!", found "abc"; …`); a value may be personal data, such as a birth
 * date, so it is cut out, leaving which variable (and where in it) or which type, and why. The built-in
 * scalars' and enums' own clauses (`ID cannot represent value: […]`, `Value "…" does not exist in "Method"
 * enum.`) lose it alike, as does a syntax error's token (`Expected Name, found String "…"`, `Unexpected Int "…"`), and an
 * object's key that is no GraphQL name (`Field "…" is not defined by type "…"`).
 */
export function withoutInputValue(message: string): string {
  return cutValue(
    cutValue(message, VARIABLE_HEAD, VARIABLE_TAIL, ' got an invalid value'),
    LITERAL_HEAD,
    LITERAL_TAIL,
    '',
  )
    .replace(SCALAR_VALUE, '$1')
    .replace(ENUM_VALUE, '$1.$2')
    .replace(ENUM_NAME, 'The value $1')
    .replace(TOKEN_VALUE, '$1 $2')
    .replace(UNKNOWN_FIELD, (field: string, name: string, type: string) =>
      GRAPHQL_NAME.test(name) ? field : `A field whose name is no GraphQL name is not defined by type "${type}"`,
    );
}

/** The code of the error a validation error wraps, e.g. the BAD_USER_INPUT of a scalar refusing a literal. */
function wrappedCode(error: unknown): unknown {
  return (error as { originalError?: { extensions?: Record<string, unknown> } } | undefined)?.originalError
    ?.extensions?.['code'];
}

/**
 * The code a client sees: a literal a scalar refuses fails graphql-js's validation, yet it is the caller's
 * input that is wrong, as when the same value comes in a variable, so it is BAD_USER_INPUT too.
 */
function clientCode(formatted: GraphQLFormattedError, error: unknown): unknown {
  const code = formatted.extensions?.code;
  return code === 'GRAPHQL_VALIDATION_FAILED' && wrappedCode(error) === ERRORS.BAD_USER_INPUT.code
    ? ERRORS.BAD_USER_INPUT.code
    : code;
}

/**
 * The reason of an error whose data is withheld because the access log could not record the decisions it
 * rests on (fail closed). Its code says how the log failed: SERVICE_UNAVAILABLE when its database was out
 * of reach, INTERNAL_SERVER_ERROR otherwise; either way the message is this one, whatever the cause.
 */
export const ACCESS_LOG_UNAVAILABLE = 'ACCESS_LOG_UNAVAILABLE';

const ACCESS_LOG_MESSAGE =
  'The access log could not record the decisions this answer rests on, so it is withheld. A mutation may ' +
  'have been recorded all the same: read it back before sending it again.';

/** The error for data withheld because the access log failed to record its decisions (`cause`, never shown). */
export function accessLogUnavailable(cause: unknown): GraphQLError {
  const { code } = isUnreachable(cause) ? ERRORS.SERVICE_UNAVAILABLE : ERRORS.INTERNAL_SERVER_ERROR;
  return new GraphQLError(ACCESS_LOG_MESSAGE, {
    ...(cause instanceof Error ? { originalError: cause } : {}),
    extensions: { code, reason: ACCESS_LOG_UNAVAILABLE },
  });
}

/** Whether an error (or a formatted one) withholds data for the access log's failure. Read by shape. */
export const isAccessLogUnavailable = (error: unknown): boolean =>
  (error as { extensions?: { reason?: unknown } } | null)?.extensions?.reason === ACCESS_LOG_UNAVAILABLE;

/** The reason of a BAD_USER_INPUT whose rule named none. */
export const INVALID_INPUT = 'INVALID_INPUT';

// graphql-js's suggestions: ` Did you mean "personId"?`, ` Did you mean the enum value "PART_TIME"?`, or
// several names (`"a", "b", or "c"?`). A name holds no question mark.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** The message without graphql-js's suggestions of the schema's names. */
export const withoutSuggestions = (message: string): string => message.replace(SUGGESTION, '');

/**
 * Apollo Server's own refusals of a request's shape, which name no reason: the reason each is given, and
 * the hub's words where Apollo's mislead (an empty body "missing, invalid Content-Type, or … no keys",
 * though the Content-Type was checked before it was read).
 */
const REQUEST_SHAPE_REASONS: readonly {
  readonly starts: string;
  readonly reason: string;
  readonly message?: string;
}[] = [
  {
    starts: 'POST body missing',
    reason: 'NOT_AN_OPERATION',
    message: 'The body is not an operation: send a JSON object with the operation text in `query`',
  },
  {
    starts: 'GraphQL operations must contain a non-empty `query`',
    reason: 'NOT_AN_OPERATION',
    message: 'The body holds no operation: send its text in `query`',
  },
  { starts: 'GraphQL queries must be strings', reason: 'NOT_AN_OPERATION' },
  { starts: 'No operations found in request', reason: 'NOT_AN_OPERATION' },
  {
    starts: 'Operation batching disabled',
    reason: 'BATCHING_DISABLED',
    message: 'Operation batching disabled: send one operation per request, as a JSON object, not an array',
  },
  { starts: '`variables` in a POST body', reason: 'INVALID_VARIABLES' },
  { starts: '`extensions` in a POST body', reason: 'INVALID_EXTENSIONS' },
  { starts: '`operationName` in a POST body', reason: 'INVALID_OPERATION_NAME' },
];

/** The reason (and the hub's message, where it has one) of an Apollo refusal of a request's shape. */
const requestShapeRefusal = (code: unknown, formatted: GraphQLFormattedError) =>
  code === ERRORS.BAD_REQUEST.code && formatted.extensions?.['reason'] === undefined
    ? REQUEST_SHAPE_REASONS.find(({ starts }) => formatted.message.startsWith(starts))
    : undefined;

/**
 * Apollo Server's and graphql-js's messages of a code that say nothing of what to do, or tell the operator
 * to pass an option to the library: the hub's words for each, and the reason it names, if any.
 */
const HUB_WORDS: readonly {
  readonly code: string;
  readonly matches: (message: string) => boolean;
  readonly message: string;
  readonly reason?: string;
}[] = [
  // Apollo's own word for a persisted query (`PersistedQueryNotSupported`) says nothing of what to do.
  {
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    matches: () => true,
    message:
      'Persisted queries are not supported: send the operation as text in query, without extensions.persistedQuery',
  },
  // graphql-js gives up checking that a selection's fields merge past its own budget, saying only that.
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    matches: (message) => message === 'Validation aborted.',
    message: 'The operation repeats fields more often than can be checked: ask for each field once',
    reason: 'TOO_COMPLEX',
  },
  // Apollo's own refusal of introspection tells the operator to pass an option to the library.
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    matches: (message) => message.startsWith('GraphQL introspection is not allowed'),
    message:
      'Introspection is off in production: the schema is the hub’s schema/supergraph.graphql, described in docs/schema.md',
    reason: 'INTROSPECTION_DISABLED',
  },
];

/** The hub's message (where it has one) and reason (where it names one) in place of the error's own. */
const hubWordsFor = (
  code: unknown,
  formatted: GraphQLFormattedError,
): { readonly message?: string; readonly reason?: string } | undefined =>
  requestShapeRefusal(code, formatted) ?? HUB_WORDS.find((row) => row.code === code && row.matches(formatted.message));

/** The error's path and locations, those it has. */
const located = (formatted: GraphQLFormattedError) => ({
  ...(formatted.path ? { path: formatted.path } : {}),
  ...(formatted.locations ? { locations: formatted.locations } : {}),
});

/**
 * Apollo Server's formatError: known codes pass as they are (without stack traces or the values of bad
 * input), anything else is logged with its original and masked, so no SQL, stack or personal datum
 * reaches a client. With `hideSchemaDetails` (production, where introspection is refused) no message
 * suggests the schema's names: Apollo drops them from validation errors only, and graphql-js suggests an
 * input field's or an enum value's name in a variable it cannot coerce too.
 */
export function maskErrors(logger: Logger, options: { hideSchemaDetails?: boolean } = {}) {
  const told = options.hideSchemaDetails ? withoutSuggestions : (message: string) => message;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = clientCode(formatted, error);
    // The access log's failure is told as such (what was withheld, and why a retry may repeat a write),
    // in the hub's own words whatever the error carried.
    if (isAccessLogUnavailable(formatted) && (code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE')) {
      return {
        message: ACCESS_LOG_MESSAGE,
        ...located(formatted),
        extensions: { code, reason: ACCESS_LOG_UNAVAILABLE },
      };
    }
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      // Only the extensions the contract names pass: a downstream error's `response` (URLs, bodies) does not.
      const extensions = Object.fromEntries(
        Object.entries(formatted.extensions ?? {}).filter(([key]) => toldClient(key, code)),
      );
      const hub = hubWordsFor(code, formatted);
      // Apollo Server prefixes what the request's context refused (the token, X-Hub-Purpose): the
      // client is told the refusal, not where the server found it.
      const message =
        hub?.message ?? told(withoutInputValue(formatted.message.replace(/^Context creation failed: /, '')));
      // Every refusal of input names a reason: one the rule that refused it did not name is INVALID_INPUT
      // (a value graphql-js could not coerce, a field's own bound in an agency system).
      const needsDefaultReason = code === ERRORS.BAD_USER_INPUT.code && typeof extensions['reason'] !== 'string';
      return {
        ...formatted,
        message,
        extensions: {
          ...extensions,
          code,
          ...(needsDefaultReason ? { reason: INVALID_INPUT } : {}),
          ...(hub?.reason ? { reason: hub.reason } : {}),
        },
      };
    }
    // A resolver's error can reach here located twice (a GraphQLError around a GraphQLError): unwrap both,
    // by shape, whichever copy of graphql-js made them.
    const originalOf = (e: unknown) => (e as { originalError?: unknown } | null)?.originalError;
    let original = error;
    while (original instanceof Error && 'locations' in original && originalOf(original) instanceof Error)
      original = originalOf(original);
    if (isUnreachable(original)) {
      logger.warn({ error: describeCause(original), path: formatted.path }, 'a dependency is unreachable');
      return {
        message: ERRORS.SERVICE_UNAVAILABLE.description,
        ...located(formatted),
        extensions: { code: ERRORS.SERVICE_UNAVAILABLE.code },
      };
    }
    logger.error({ error: describeSafely(original), path: formatted.path }, 'unexpected error, masked');
    return {
      message: 'Internal server error',
      ...located(formatted),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
