// A PostgreSQL server of a test's own, to restart under load: initdb and pg_ctl from the Debian packages
// (/usr/lib/postgresql/<version>/bin) on a temporary folder and a free port, run as `postgres` when the
// test runs as root (initdb refuses root).

import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The newest PostgreSQL server binaries installed, or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres, trust authentication. */
  readonly url: string;
  /** Stops the server (fast: open sessions are ended) and starts it again on the same folder and port. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

/** initdb, then pg_ctl start on a new folder and port; bounded in time. */
export async function startPostgresServer(bin: string): Promise<PostgresServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'hub-drill-pg-'));
  const data = join(dir, 'data');
  const pgCommand = (tool: string, args: string[]) => {
    const command = join(bin, tool);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    return run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const uid = Number(stdout.trim());
    const { stdout: gidText } = await run('id', ['-g', 'postgres']);
    await chown(dir, uid, Number(gidText.trim()));
  }
  const port = await freePort();
  await pgCommand('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const ctl = (...args: string[]) => pgCommand('pg_ctl', ['-D', data, '-w', '-t', '30', ...args]);
  await ctl('-o', options, '-l', join(dir, 'server.log'), 'start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await ctl('-m', 'fast', 'stop');
      await ctl('-o', options, '-l', join(dir, 'server.log'), 'start');
    },
    destroy: async () => {
      await ctl('-m', 'immediate', 'stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
