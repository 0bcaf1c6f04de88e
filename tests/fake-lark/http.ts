/** The HTTP side: reads a request, finds its route, checks the token, applies injected failures, answers JSON. */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { checkTenantToken } from './auth.ts';
import type { Faults } from './faults.ts';
import { hex } from './ids.ts';
import { parseJson } from './json.ts';
import { parseMultipart, type FormPart } from './multipart.ts';
import { HttpError, type RequestLogEntry, type RouteSpec } from './routes.ts';
import type { Platform } from './state.ts';

export interface HttpDeps {
  platform: Platform;
  routes: RouteSpec[];
  /** Every request is appended here, in arrival order. */
  requests: RequestLogEntry[];
  faults: Faults;
}

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  keys: string[];
}

interface ReadRequest {
  path: string;
  query: Record<string, string>;
  body: any;
  files: Map<string, FormPart>;
}

function compile(spec: RouteSpec): CompiledRoute {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${spec.path.replace(/:([a-z_]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    })}$`,
  );
  return { spec, pattern, keys };
}

function matchRoute(routes: CompiledRoute[], method: string, path: string): { spec: RouteSpec; params: Record<string, string> } | undefined {
  for (const r of routes) {
    if (r.spec.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [i, k] of r.keys.entries()) params[k] = decodeURIComponent(m[i + 1] ?? '');
    return { spec: r.spec, params };
  }
  return undefined;
}

/** JSON bodies are parsed (kept as text if invalid); multipart text fields become the body, file parts `files`. */
async function readRequest(req: IncomingMessage): Promise<ReadRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  let body: any;
  let files = new Map<string, FormPart>();
  if (contentType.startsWith('multipart/form-data')) {
    files = parseMultipart(raw, contentType);
    body = Object.fromEntries([...files].filter(([, v]) => v.filename === undefined).map(([k, v]) => [k, v.data.toString('utf8')]));
  } else if (raw.length > 0) {
    const parsed = parseJson(raw.toString('utf8'));
    body = parsed.ok ? parsed.value : raw.toString('utf8');
  }
  return { path: url.pathname, query, body, files };
}

function sendJson(res: ServerResponse, status: number, body: object, log: RequestLogEntry): void {
  log.status = status;
  const code = (body as { code?: unknown }).code;
  if (typeof code === 'number') log.code = code;
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Tt-Logid': hex(16) });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown, log: RequestLogEntry): void {
  if (e instanceof HttpError) sendJson(res, e.status, { code: e.code, msg: e.msg, error: { log_id: hex(16) } }, log);
  else sendJson(res, 500, { code: 1, msg: `fake-lark internal error: ${String((e as Error)?.stack ?? e)}` }, log);
}

async function dispatch(deps: HttpDeps, routes: CompiledRoute[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query, body, files } = await readRequest(req);
  const method = req.method ?? 'GET';
  const match = matchRoute(routes, method, path);
  const log: RequestLogEntry = { method, path, query, route: match?.spec.route ?? null, headers: req.headers, body, at: Date.now() };
  deps.requests.push(log);
  if (!match) {
    // The platform's gateway answers unknown paths with a plain-text 404.
    log.status = 404;
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 page not found');
    return;
  }
  try {
    if (match.spec.auth) checkTenantToken(req.headers.authorization, deps.platform.appId);
    if (await deps.faults.inject(match.spec.route, req, log)) return;
    const out = await match.spec.handle({ platform: deps.platform, res, params: match.params, query, body, files, log });
    if (out) sendJson(res, 200, out, log);
  } catch (e) {
    sendError(res, e, log);
  }
}

export function createRequestListener(deps: HttpDeps): RequestListener {
  const routes = deps.routes.map(compile);
  return (req, res) => {
    dispatch(deps, routes, req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  };
}
