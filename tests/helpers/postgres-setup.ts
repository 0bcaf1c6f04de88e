/**
 * Runs once per `vitest run`: starts a private PostgreSQL server (./postgres.ts) and hands its URL
 * to the test files (`inject('postgresUrl')`); each test file makes its own database on it. Without
 * the server binaries the URL is empty: the tests that need a server fail saying what to install,
 * the others run.
 */
import type { TestProject } from 'vitest/node';
import { postgresInstalled, startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The superuser's URL of this run's PostgreSQL server; empty without one. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!postgresInstalled()) {
    project.provide('postgresUrl', '');
    return () => {};
  }
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
