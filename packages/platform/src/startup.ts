// Why a service could not start, told its operator in one line: a refusal the operator acts on (the
// configuration, a schema not migrated, a migration refusing the data it found, a port taken, a database that cannot be reached or refuses the
// role, a disk full), never a stack trace. Anything else is a fault of the hub and keeps its stack.

import { ConfigError } from './config.js';
import { DataDirectoryInUseError } from './data-directory-lock.js';
import { MigrationRefusedError, SchemaNotReadyError } from './migrate.js';

/** PostgreSQL's refusals of a login: bad password, no such role or database, no right to connect. */
const REFUSED_LOGIN = new Set(['28P01', '28000', '3D000', '42501']);

/** Node's codes for a database or a port out of reach. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH']);

interface SystemError {
  readonly code?: unknown;
  readonly port?: unknown;
  readonly address?: unknown;
  readonly hostname?: unknown;
  readonly message?: unknown;
  readonly errors?: unknown;
  readonly syscall?: unknown;
}

/** A port a service was given is held by something else: the service and the variable that gives its port. */
export class PortInUseError extends Error {
  constructor(
    /** Whose port it is, as an operator is told: `the gateway`, `the welfare subgraph`. */
    readonly service: string,
    /** The environment variable that gives it: `GATEWAY_PORT`, `WELFARE_PORT`, `METRICS_PORT`. */
    readonly variable: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(
      `${service}'s port ${port} (${variable}) is in use: stop what holds it, or set ${variable} to another port`,
      options,
    );
    this.name = 'PortInUseError';
  }
}

/**
 * Runs `listen` for the port `variable` gives `service`; a port taken (EADDRINUSE) is told as a PortInUseError
 * naming both, so an operator of several services knows which setting to change.
 */
export async function listeningAs<T>(
  service: string,
  variable: string,
  port: number,
  listen: () => Promise<T>,
): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    if ((error as SystemError | null)?.code === 'EADDRINUSE')
      throw new PortInUseError(service, variable, port, { cause: error });
    throw error;
  }
}

/** The one line an operator is told, or undefined for a fault of the hub itself. */
export function startupRefusal(error: unknown): string | undefined {
  if (
    error instanceof ConfigError ||
    error instanceof SchemaNotReadyError ||
    error instanceof MigrationRefusedError ||
    error instanceof DataDirectoryInUseError ||
    error instanceof PortInUseError
  )
    return error.message;
  if (!error || typeof error !== 'object') return undefined;
  const e = error as SystemError;
  // A connection tried on several addresses fails as one AggregateError of them all.
  const first = Array.isArray(e.errors) && e.errors.length ? (e.errors[0] as SystemError) : e;
  const code = typeof e.code === 'string' ? e.code : typeof first.code === 'string' ? first.code : undefined;
  if (code === 'EADDRINUSE') {
    const where = typeof first.port === 'number' ? `port ${first.port}` : 'a port it listens on';
    return `${where} is in use: stop what holds it, or give this service another port`;
  }
  if (code === 'EADDRNOTAVAIL' && typeof first.syscall === 'string' && first.syscall === 'listen') {
    const address = typeof first.address === 'string' ? first.address : 'the address given';
    return `${address} is not an address of this machine to listen on: set HOST to one it has (127.0.0.1, or 0.0.0.0 for all)`;
  }
  if (code && UNREACHABLE.has(code)) {
    const host = first.address ?? first.hostname;
    const at = host && first.port ? ` at ${String(host)}:${String(first.port)}` : '';
    return `the database${at} cannot be reached (${code})`;
  }
  if (code && REFUSED_LOGIN.has(code)) return `the database refused the connection: ${String(e.message)}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const { dest, path } = first as SystemError & { dest?: unknown; path?: unknown };
    const written = typeof dest === 'string' ? dest : typeof path === 'string' ? path : undefined;
    const where = written ? `where ${written} is written` : 'where the hub writes';
    return `no space left ${where} (${code}): make room there and start again`;
  }
  return undefined;
}

/** Runs a service's start; a refusal ends the process with one line on stderr and exit code 2. */
export async function startOrRefuse<T>(service: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const refusal = startupRefusal(error);
    if (refusal === undefined) throw error;
    console.error(`${service}: cannot start: ${refusal}`);
    process.exit(2);
  }
}
