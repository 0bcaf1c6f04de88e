/** @module What the console's pages work with, wired by `startConsole` (or a test). */
import type { Hono } from 'hono';
import type { Logger } from '../../core/index.ts';
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import type { QuestionLog } from '../chat/index.ts';
import type { CurationStore, QaService } from '../qa/index.ts';
import type { IndexHolder } from '../retrieval/index.ts';
import type { IngestActivity } from './activity.ts';
import type { ConsoleAuth } from './auth.ts';
import type { ConsoleEnv } from './session.ts';

export interface ConsoleDeps {
  auth: ConsoleAuth;
  admin: KnowledgeAdmin;
  activity: IngestActivity;
  /** The same answering as the chat's, in this process. */
  qa: Pick<QaService, 'ask'>;
  /** The live index, for documents' chunks. */
  index: Pick<IndexHolder, 'current' | 'refresh'>;
  knowledgeDir: string;
  /** The index root, whose live version keeps the last ingest run's per-file report. */
  indexDir: string;
  /** The admins' decisions "Try a question" and the chat answer by (the same files as the chat's). */
  curation: CurationStore;
  /** The chat's questions, for the log and the usage figures. */
  questionLog: QuestionLog;
  logger: Logger;
  /** Marks the session cookie Secure (the console is reached over https). */
  secureCookies: boolean;
}

export type ConsoleApp = Hono<ConsoleEnv>;
