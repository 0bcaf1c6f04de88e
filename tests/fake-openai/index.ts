/**
 * A local fake of the OpenAI-compatible HTTP API for tests.
 *
 * Real HTTP on 127.0.0.1 (ephemeral port) so that the real `ChatOpenAI` /
 * `OpenAIEmbeddings` clients (and the `openai` SDK underneath) run unmodified:
 *
 *   const fake = await startFakeOpenAI({ chat: () => ({ content: '你好' }) });
 *   const llm = new ChatOpenAI({ model: 'fake-model', apiKey: 'test-key',
 *     configuration: { baseURL: fake.baseUrl }, maxRetries: 0 });
 *   ...
 *   await fake.close();
 *
 * Endpoints: POST /v1/chat/completions (JSON or SSE), POST /v1/embeddings
 * (float or base64), GET /v1/models, GET /v1/models/:id. Anything else → 404
 * in OpenAI's error shape. Every request is recorded in `requests`.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ChatBehaviour =
  /**
   * A normal answer: JSON, or SSE chunks when the request has `stream: true`. `delayMs` waits before answering;
   * `chunkDelayMs` waits between SSE chunks (a stream that starts, then crawls).
   */
  | { content: string; finishReason?: string; delayMs?: number; chunkDelayMs?: number }
  /** An error response, e.g. 429 / 500 / 401. `body` defaults to OpenAI's error shape; 429 gets `Retry-After: 1` unless `headers` overrides it. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Accept the request and never answer (until `close()` or the client gives up). */
  | { hang: true }
  /** 200 with a body that is not valid completion JSON (non-stream) / a broken SSE event (stream). */
  | { malformed: string };

export interface ChatRequest {
  model: string;
  /** Messages with content flattened to a string (text parts joined, null → ''). */
  messages: { role: string; content: string }[];
  stream: boolean;
  /** The full parsed JSON body as sent by the client. */
  body: any;
}

interface RecordedRequest {
  method: string;
  /** Path without query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names, as Node gives them. */
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body; the raw string if it was not JSON; undefined if empty. */
  body: any;
  at: number;
}

export interface FakeOpenAIOptions {
  chat?: (request: ChatRequest) => ChatBehaviour | Promise<ChatBehaviour>;
  /**
   * Default: deterministic hashed bag of characters + bigrams, L2-normalised, 64 dims (or `dimensions` if the request sends it).
   * May return a promise (e.g. one that never settles, to simulate a hanging endpoint).
   */
  embed?: (inputs: string[], model: string) => number[][] | Promise<number[][]>;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Model ids listed by GET /v1/models (default: fake-model, fake-embed). */
  models?: string[];
  /** Port on 127.0.0.1 (default 0: an ephemeral port, as tests want). */
  port?: number;
}

export interface FakeOpenAI {
  /** e.g. `http://127.0.0.1:54321/v1` — pass as `configuration.baseURL`. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const DEFAULT_EMBEDDING_DIMS = 64;

// ---------------------------------------------------------------- embeddings

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Deterministic hashed bag of characters and character bigrams (signed feature
 * hashing), L2-normalised. Texts sharing many characters/bigrams score a higher
 * cosine. Empty/whitespace-only text maps to the unit vector e0 (never NaN).
 */
export function hashedEmbedding(text: string, dims: number = DEFAULT_EMBEDDING_DIMS): number[] {
  const v = new Array<number>(dims).fill(0);
  const chars = Array.from(text.toLowerCase()).filter((c) => !/\s/u.test(c));
  const add = (feature: string, weight: number): void => {
    const h = fnv1a(feature);
    const idx = h % dims;
    const sign = (h >>> 16) & 1 ? 1 : -1;
    v[idx] = (v[idx] ?? 0) + sign * weight;
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    add(`u:${c}`, 1);
    const next = chars[i + 1];
    if (next !== undefined) add(`b:${c}${next}`, 1.5);
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

function float32Base64(vec: number[]): string {
  const f32 = Float32Array.from(vec);
  return Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength).toString('base64');
}

// ---------------------------------------------------------------- helpers

/** Very rough token estimate: CJK characters count 1 each, other runs of word characters 1 each, punctuation 1 each. */
function approxTokens(text: string): number {
  const m = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu);
  return m ? m.length : 0;
}

function flattenContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => {
        if (typeof part === 'string') return part;
        if (part && typeof part === 'object' && 'text' in part && typeof (part as { text: unknown }).text === 'string') {
          return (part as { text: string }).text;
        }
        return '';
      })
      .join('');
  }
  return '';
}

/** Split content into several small chunks (by code point, so CJK / emoji stay intact). */
function splitIntoChunks(content: string): string[] {
  const cps = Array.from(content);
  if (cps.length === 0) return [];
  const size = cps.length <= 8 ? 1 : Math.min(8, Math.max(2, Math.ceil(cps.length / 12)));
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''));
  return out;
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

function defaultErrorBody(status: number, model: string): unknown {
  switch (status) {
    case 400:
      return errorBody('Bad request (fake-openai)', 'invalid_request_error', null);
    case 401:
      return errorBody('Incorrect API key provided (fake-openai).', 'invalid_request_error', 'invalid_api_key');
    case 403:
      return errorBody('Forbidden (fake-openai)', 'invalid_request_error', null);
    case 404:
      return errorBody(`The model \`${model}\` does not exist (fake-openai).`, 'invalid_request_error', 'model_not_found');
    case 429:
      return errorBody(`Rate limit reached for ${model} (fake-openai).`, 'requests', 'rate_limit_exceeded');
    default:
      return errorBody(
        status >= 500 ? 'The server had an error while processing your request (fake-openai).' : `HTTP ${status} (fake-openai)`,
        status >= 500 ? 'server_error' : 'invalid_request_error',
        null,
      );
  }
}

let idCounter = 0;
const nextId = (prefix: string): string => `${prefix}-fake${(++idCounter).toString(36).padStart(6, '0')}`;

// ---------------------------------------------------------------- server

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const models = options.models ?? ['fake-model', 'fake-embed'];
  let closed = false;

  const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.destroyed || res.writableEnded) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text).toString(),
      'x-request-id': nextId('req'),
      ...headers,
    });
    res.end(text);
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const handleChat = async (body: any, res: http.ServerResponse): Promise<void> => {
    if (!body || typeof body !== 'object' || !Array.isArray(body.messages)) {
      sendJson(res, 400, errorBody("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'));
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'fake-model';
    const stream = body.stream === true;
    const messages = (body.messages as any[]).map((m) => ({
      role: typeof m?.role === 'string' ? m.role : 'user',
      content: flattenContent(m?.content),
    }));
    const request: ChatRequest = { model, messages, stream, body };
    const behaviour: ChatBehaviour = options.chat
      ? await options.chat(request)
      : { content: `Echo: ${[...messages].reverse().find((m) => m.role === 'user')?.content ?? ''}` };

    if ('hang' in behaviour) {
      // Never answer; the socket is destroyed by close() or by the client aborting.
      return;
    }
    if ('status' in behaviour) {
      const headers: Record<string, string> = behaviour.status === 429 ? { 'retry-after': '1' } : {};
      Object.assign(headers, behaviour.headers ?? {});
      sendJson(res, behaviour.status, behaviour.body ?? defaultErrorBody(behaviour.status, model), headers);
      return;
    }
    if ('malformed' in behaviour) {
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        const raw = behaviour.malformed;
        res.end(/^(data|event|id|retry):/.test(raw) ? raw : `data: ${raw}\n\n`);
      } else {
        sendJson(res, 200, behaviour.malformed);
      }
      return;
    }

    if (behaviour.delayMs && behaviour.delayMs > 0) await sleep(behaviour.delayMs);
    if (res.destroyed) return;

    const id = nextId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    const content = behaviour.content;
    const finishReason = behaviour.finishReason ?? 'stop';
    const promptTokens = messages.reduce((n, m) => n + approxTokens(m.content) + 4, 0);
    const completionTokens = approxTokens(content);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };

    if (!stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_fake',
      });
      return;
    }

    const includeUsage = body.stream_options?.include_usage === true;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': nextId('req'),
    });
    const base = { id, object: 'chat.completion.chunk', created, model, service_tier: 'default', system_fingerprint: 'fp_fake' };
    const write = (chunk: object): void => {
      if (!res.destroyed) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    const chunk = (delta: object, finish: string | null): object => ({
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
    write(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const piece of splitIntoChunks(content)) {
      write(chunk({ content: piece }, null));
      // Yield to the event loop so chunks go out as separate writes.
      if (behaviour.chunkDelayMs && behaviour.chunkDelayMs > 0) await sleep(behaviour.chunkDelayMs);
      else await new Promise<void>((r) => setImmediate(r));
      if (res.destroyed) return;
    }
    write(chunk({}, finishReason));
    if (includeUsage) write({ ...base, choices: [], usage });
    if (!res.destroyed) res.end('data: [DONE]\n\n');
  };

  const handleEmbeddings = async (body: any, res: http.ServerResponse): Promise<void> => {
    const input: unknown = body?.input;
    let inputs: string[];
    if (typeof input === 'string') inputs = [input];
    else if (Array.isArray(input) && input.every((x) => typeof x === 'string')) inputs = input as string[];
    else {
      sendJson(res, 400, errorBody("'input' must be a string or an array of strings (fake-openai).", 'invalid_request_error', null, 'input'));
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'fake-embed';
    const dims = typeof body.dimensions === 'number' && body.dimensions > 0 ? body.dimensions : DEFAULT_EMBEDDING_DIMS;
    const vectors = options.embed ? await options.embed(inputs, model) : inputs.map((t) => hashedEmbedding(t, dims));
    const base64 = body.encoding_format === 'base64';
    const tokens = inputs.reduce((n, t) => n + approxTokens(t), 0);
    sendJson(res, 200, {
      object: 'list',
      data: vectors.map((embedding, index) => ({
        object: 'embedding',
        index,
        embedding: base64 ? float32Base64(embedding) : embedding,
      })),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any ;
      let bodyIsJson = true;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
          bodyIsJson = false;
        }
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const method = req.method ?? 'GET';
      requests.push({ method, path, headers: req.headers, body, at: Date.now() });

      const route = async (): Promise<void> => {
        if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
          sendJson(res, 401, defaultErrorBody(401, ''));
          return;
        }
        if (!bodyIsJson) {
          sendJson(res, 400, errorBody('We could not parse the JSON body of your request (fake-openai).', 'invalid_request_error', null));
          return;
        }
        if (method === 'POST' && path === '/v1/chat/completions') return handleChat(body, res);
        if (method === 'POST' && path === '/v1/embeddings') return handleEmbeddings(body, res);
        if (method === 'GET' && path === '/v1/models') {
          sendJson(res, 200, {
            object: 'list',
            data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake-openai' })),
          });
          return;
        }
        const modelMatch = method === 'GET' ? /^\/v1\/models\/(.+)$/.exec(path) : null;
        if (modelMatch) {
          const id = decodeURIComponent(modelMatch[1] ?? '');
          if (models.includes(id)) sendJson(res, 200, { id, object: 'model', created: 1700000000, owned_by: 'fake-openai' });
          else sendJson(res, 404, defaultErrorBody(404, id));
          return;
        }
        sendJson(res, 404, errorBody(`Unknown request URL: ${method} ${path} (fake-openai).`, 'invalid_request_error', 'unknown_url'));
      };
      route().catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        sendJson(res, 500, errorBody(`fake-openai handler threw: ${err instanceof Error ? err.message : String(err)}`, 'server_error', null));
      });
    });
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await done;
    },
  };
}
