/**
 * A private PostgreSQL server for tests and the bench: a fresh cluster in a temp folder on a free
 * loopback port, from the system's server binaries (Debian's `postgresql` package; PG_BIN names
 * another folder). initdb and the server refuse to run as root, so as root they run as the
 * `postgres` user. Durability is off: the cluster lives for one run. Free of vitest.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './net.ts';

export interface PostgresServer {
  /** The superuser's connection to the `postgres` database (no password: trust on loopback). */
  url: string;
  stop(): void;
}

const MISSING = 'PostgreSQL server binaries not found: install the postgresql package (apt-get install postgresql) or set PG_BIN';

/** The folder with initdb and pg_ctl: PG_BIN, else the newest Debian server version installed. */
function binaries(): string | undefined {
  if (process.env['PG_BIN']) return process.env['PG_BIN'];
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(path.join(root, name, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : undefined;
}

/** Whether a server can be started here (the binaries are installed). */
export const postgresInstalled = (): boolean => binaries() !== undefined;

/** Runs a server binary, as the `postgres` user when we are root. */
function runServerTool(tool: string, args: string[]): void {
  const folder = binaries();
  if (!folder) throw new Error(MISSING);
  const command = path.join(folder, tool);
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: 'pipe' });
}

export async function startPostgres(): Promise<PostgresServer> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'qa-postgres-'));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(directory, uid, gid);
  }
  const data = path.join(directory, 'data');
  const port = await freePort();
  try {
    runServerTool('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    runServerTool('pg_ctl', ['-D', data, '-o', options, '-l', path.join(directory, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    const log = path.join(directory, 'server.log');
    const detail = existsSync(log) ? readFileSync(log, 'utf8') : String((error as { stderr?: Buffer }).stderr ?? '');
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${detail}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        runServerTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

let databases = 0;

/** A new, empty database on the server; returns its URL. An empty `serverUrl` means the run has no server. */
export async function createDatabase(serverUrl: string): Promise<string> {
  if (!serverUrl) throw new Error(MISSING);
  const name = `qa_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
