/** The shape of every area's route table, and the platform's JSON answers. */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FormPart } from './multipart.ts';
import type { Platform } from './state.ts';

/** Routes that `failNext` can target (one per platform endpoint). */
export type FakeRoute =
  | 'token'
  | 'bot_info'
  | 'ws_endpoint'
  | 'create'
  | 'reply'
  | 'patch'
  | 'update'
  | 'delete'
  | 'message_get'
  | 'reaction'
  | 'reaction_delete'
  | 'resource'
  | 'image_upload'
  | 'file_upload'
  | 'image_get'
  | 'file_get'
  | 'chat_get'
  | 'card_create'
  | 'card_update'
  | 'card_element_content'
  | 'card_settings';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  route: FakeRoute | null;
  headers: IncomingHttpHeaders;
  body: any;
  /** HTTP status and platform `code` that were answered (undefined while pending / for streams). */
  status?: number;
  code?: number;
  at: number;
}

export interface Ctx {
  platform: Platform;
  res: ServerResponse;
  params: Record<string, string>;
  query: Record<string, string>;
  body: any;
  files: Map<string, FormPart>;
  log: RequestLogEntry;
}

export interface RouteSpec {
  method: string;
  /** `:name` segments are matched as one path segment into `params.name`. */
  path: string;
  route: FakeRoute;
  /** Needs a tenant token. */
  auth: boolean;
  /** Returns the JSON body to send (`{code:0,…}`), or undefined if it already answered (streams). */
  handle(ctx: Ctx): Promise<object | undefined> | object | undefined;
}

/** Thrown by handlers: answered as `{code, msg, error}` with this HTTP status. */
export class HttpError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

export const bad = (code: number, msg: string, status = 400): HttpError => new HttpError(status, code, msg);

export const ok = (data: object = {}): object => ({ code: 0, msg: 'success', data });
