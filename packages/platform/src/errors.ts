// The hub's error registry: the only error codes a client ever sees, each with its HTTP status.
// Anything else is masked to INTERNAL_SERVER_ERROR and logged with its original.

import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';

interface ErrorCode {
  readonly code: string;
  readonly status: number;
  readonly description: string;
  err(message: string, extensions?: Record<string, unknown>): GraphQLError;
}

function define(code: string, status: number, description: string): ErrorCode {
  return {
    code,
    status,
    description,
    err: (message, extensions = {}) =>
      new GraphQLError(message, { extensions: { ...extensions, code, http: { status } } }),
  };
}

export const ERRORS = {
  UNAUTHENTICATED: define(
    'UNAUTHENTICATED',
    401,
    'No valid token: missing, badly signed, expired, or an unknown agency.',
  ),
  FORBIDDEN: define('FORBIDDEN', 200, 'The caller has no legal basis for this data or may not perform this action.'),
  BAD_USER_INPUT: define('BAD_USER_INPUT', 200, 'An argument is malformed or breaks a rule of the domain.'),
  NOT_FOUND: define('NOT_FOUND', 200, 'No record with that id.'),
  SERVICE_UNAVAILABLE: define('SERVICE_UNAVAILABLE', 503, 'A database or subgraph the request needs is not reachable.'),
  INTERNAL_SERVER_ERROR: define(
    'INTERNAL_SERVER_ERROR',
    500,
    'Something failed that the caller cannot fix; it is logged.',
  ),
} as const;

export type ErrorCodeName = keyof typeof ERRORS;

const CLIENT_CODES = new Set<string>([
  ...Object.keys(ERRORS),
  // Apollo Server's own request-level codes, already safe to show.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'DOWNSTREAM_SERVICE_ERROR',
]);

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
 * Apollo Server's formatError: known codes pass as they are (without stack traces), anything else is
 * logged with its original and masked, so no SQL, stack or personal datum reaches a client.
 */
export function maskErrors(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    logger.error({ error: describeSafely(original), path: formatted.path }, 'unexpected error, masked');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
