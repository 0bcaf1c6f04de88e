/**
 * The long connection: endpoint discovery, the `/ws/v2` websocket speaking `pbbp2.Frame`
 * (ping → pong with ClientConfig), event push with `sum`/`seq` fragmentation, and acks. Like the
 * platform in cluster mode, one app may hold several connections (replicas of a bot): each event
 * goes to one random client, and one left unacknowledged is delivered again to another.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { hex } from './ids.ts';
import { parseJson } from './json.ts';
import { FRAME_CONTROL, FRAME_DATA, decodeFrame, encodeFrame, headerMap, type Frame } from './protobuf.ts';
import type { Ctx, RouteSpec } from './routes.ts';

export interface ClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

export interface DeliverOptions {
  /** Split the payload bytes across this many frames (`sum`/`seq` headers). Default 1. */
  fragments?: number;
  /** Send the fragments in reverse order (the SDK indexes by `seq`, so this must still work). */
  reverseFragments?: boolean;
  /** The frame's `type` header. Default 'event'; the SDK ignores (and never acks) anything else, e.g. 'card'. */
  frameType?: string;
  /** Reject if no ack arrives in time. Default 10 000 ms. */
  ackTimeoutMs?: number;
  /** How long to wait for a connected client first. Default 5 000 ms. */
  clientTimeoutMs?: number;
  /**
   * Like the platform, push the event again while it is not acknowledged (no client connected, the
   * websocket closed before the ack, no ack in time), until this many ms have passed since the first
   * push. Default 0: one push; its failure rejects.
   */
  redeliverForMs?: number;
  /** Deliver to this client (an id from `clientIds()`) instead of a random one. */
  toClient?: number;
  /** Pick the random client among the others. */
  notToClients?: number[];
}

export interface DeliverResult {
  /** Milliseconds from sending the (last) frame to receiving the ack. */
  ackMs: number;
  /** The ack payload: `{code:200}`, `{code:500}` if the handler threw; `data` = base64(JSON(handler return)). */
  ack: { code: number; data?: string };
  /** `ack.data` decoded (e.g. a card-action handler's `{toast}`), if present. */
  result?: unknown;
  /** Headers of the ack frame (includes `biz_rt`, which SDK 1.74 reports as a negative number). */
  headers: Record<string, string>;
  /** The frame-level `message_id` used for this delivery. */
  frameMessageId: string;
  /** Pushes it took (more than 1 only with `redeliverForMs`). */
  pushes: number;
  /** The client that acknowledged it (see `clientIds()`). */
  clientId: number;
}

interface WsClient {
  /** Numbered in order of connection, from 1. */
  id: number;
  ws: WebSocket;
  /**
   * Set by the client's first ping. The SDK attaches its 'message' listener only after its
   * connect() promise settles, a tick after 'open' (and after it sends that ping): a frame pushed
   * right at upgrade time would be silently lost, so the fake treats a client as connected from
   * its first ping on.
   */
  ready: boolean;
}

/** One push's outcome. */
type PushResult = Omit<DeliverResult, 'pushes'>;

interface PendingAck {
  resolve: (r: PushResult) => void;
  reject: (e: Error) => void;
  sentAt: number;
  client: WsClient;
  timer: NodeJS.Timeout;
}

/** Between a failed push and the next one (the platform waits longer; tests should not). */
const REDELIVERY_PAUSE_MS = 250;

const isReady = (c: WsClient): boolean => c.ready && c.ws.readyState === WebSocket.OPEN;

/** An ack: the client echoes our event frame with biz_rt added and a {"code":…} payload. */
function readAck(frame: Frame): { ack: DeliverResult['ack']; result?: unknown } {
  const payloadText = Buffer.from(frame.payload ?? new Uint8Array()).toString('utf8');
  const parsed = parseJson(payloadText);
  const ack = parsed.ok && typeof parsed.value?.code === 'number' ? (parsed.value as { code: number; data?: string }) : { code: -1 };
  if (typeof ack.data !== 'string') return { ack };
  const decoded = parseJson(Buffer.from(ack.data, 'base64').toString('utf8'));
  return decoded.ok ? { ack, result: decoded.value } : { ack };
}

export class LongConnection {
  /** Endpoint discovery (not under /open-apis, no token: it takes the app secret). */
  readonly routes: RouteSpec[] = [
    { method: 'POST', path: '/callback/ws/endpoint', route: 'ws_endpoint', auth: false, handle: (ctx) => this.#discover(ctx) },
  ];

  readonly #server: Server;
  readonly #clientConfig: ClientConfig;
  /** The long connection's `service_id` (echoed by the client in its ping frames). */
  readonly #serviceId = crypto.randomInt(10_000, 99_999);
  readonly #tickets = new Map<string, string>(); // one-shot ws ticket → device_id, issued by endpoint discovery
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #clients = new Set<WsClient>();
  readonly #clientWaiters = new Set<() => void>();
  readonly #pendingAcks = new Map<string, PendingAck>();
  #seqId = 0;
  #closed = false;
  /** Until this time (performance.now()), handshakes fail as a gateway that is down would fail them. */
  #refuseUntil = 0;
  #clientNumber = 0;

  constructor(server: Server, clientConfig: ClientConfig) {
    this.#server = server;
    this.#clientConfig = clientConfig;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  #discover({ platform, body }: Ctx): object {
    if (body?.AppID !== platform.appId || body?.AppSecret !== platform.appSecret) return { code: 514, msg: 'auth failed', data: {} };
    const deviceId = `7${hex(9).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`; // numeric, like the platform's
    const ticket = crypto.randomUUID();
    this.#tickets.set(ticket, deviceId);
    const port = (this.#server.address() as AddressInfo).port;
    // device_id / service_id must not be first: the SDK runs querystring.parse over the whole URL.
    const url = `ws://127.0.0.1:${port}/ws/v2?fpid=493&aid=552564&device_id=${deviceId}&access_key=${hex(16)}&service_id=${this.#serviceId}&ticket=${ticket}`;
    return { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.#clientConfig } };
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    const deviceId = this.#tickets.get(ticket);
    if (url.pathname !== '/ws/v2' || !deviceId || url.searchParams.get('device_id') !== deviceId || url.searchParams.get('service_id') !== String(this.#serviceId)) {
      // Real gateway: failed handshakes carry Handshake-Status/-Msg headers (the SDK does not read them).
      socket.end('HTTP/1.1 403 Forbidden\r\nHandshake-Status: 514\r\nHandshake-Msg: invalid ticket\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (performance.now() < this.#refuseUntil) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.#tickets.delete(ticket); // one ticket, one connection (the SDK rediscovers on every reconnect)
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    const client: WsClient = { id: ++this.#clientNumber, ws, ready: false };
    this.#clients.add(client);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.#onFrame(client, data);
    });
    ws.on('close', () => this.#onClose(client));
    ws.on('error', () => {});
  }

  #onFrame(client: WsClient, data: Buffer): void {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch {
      return; // garbage from the client: the real gateway would drop it too
    }
    const headers = headerMap(frame);
    if (frame.method === FRAME_CONTROL && headers.type === 'ping') this.#pong(client, frame);
    else if (frame.method === FRAME_DATA) this.#settleAck(frame, headers);
  }

  #pong(client: WsClient, ping: Frame): void {
    const pong: Frame = {
      SeqID: 0, LogID: 0, service: ping.service, method: FRAME_CONTROL,
      headers: [{ key: 'type', value: 'pong' }],
      payload: Buffer.from(JSON.stringify(this.#clientConfig)),
    };
    client.ws.send(encodeFrame(pong));
    if (!client.ready) {
      client.ready = true;
      for (const w of [...this.#clientWaiters]) w();
    }
  }

  #settleAck(frame: Frame, headers: Record<string, string>): void {
    const id = headers.message_id ?? '';
    const p = this.#pendingAcks.get(id);
    if (!p) return;
    this.#pendingAcks.delete(id);
    clearTimeout(p.timer);
    const { ack, result } = readAck(frame);
    const out: PushResult = { ackMs: performance.now() - p.sentAt, ack, headers, frameMessageId: id, clientId: p.client.id };
    if (result !== undefined) out.result = result;
    p.resolve(out);
  }

  #onClose(client: WsClient): void {
    this.#clients.delete(client);
    for (const [id, p] of this.#pendingAcks) {
      if (p.client !== client) continue;
      this.#pendingAcks.delete(id);
      clearTimeout(p.timer);
      p.reject(new Error(`fake-lark: websocket closed before ack of ${id}`));
    }
  }

  /** Push an envelope over a connected websocket (a random client, like the platform) and wait for its ack. */
  async deliverEvent(envelope: object, opts: DeliverOptions = {}): Promise<DeliverResult> {
    const deadline = performance.now() + (opts.redeliverForMs ?? 0);
    // Clients this event went to: a redelivery goes to another one while there is another.
    const tried: number[] = [];
    for (let pushes = 1; ; pushes++) {
      try {
        return { ...(await this.#pushOnce(envelope, opts, tried)), pushes };
      } catch (error) {
        if (this.#closed || performance.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, REDELIVERY_PAUSE_MS));
      }
    }
  }

  async #pushOnce(envelope: object, opts: DeliverOptions, tried: number[]): Promise<PushResult> {
    // `channel.connect()` can resolve before the client's first ping reached us: give it a moment.
    await this.waitForClient(opts.clientTimeoutMs ?? 5_000);
    const wanted = [...this.#clients].filter((c) => isReady(c) && (opts.toClient === undefined || c.id === opts.toClient) && !opts.notToClients?.includes(c.id));
    if (wanted.length === 0) throw new Error(`fake-lark: no websocket client to deliver to (${opts.toClient === undefined ? `all but ${opts.notToClients?.join(', ')}` : `client ${opts.toClient}`})`);
    const fresh = wanted.filter((c) => !tried.includes(c.id));
    const open = fresh.length > 0 ? fresh : wanted;
    const client = open[crypto.randomInt(open.length)] as WsClient; // like the platform: one random client per event
    tried.push(client.id);
    const frameMessageId = crypto.randomUUID();
    const frames = this.#eventFrames(envelope, frameMessageId, opts);
    return new Promise<PushResult>((resolve, reject) => {
      const timeoutMs = opts.ackTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        this.#pendingAcks.delete(frameMessageId);
        reject(new Error(`fake-lark: no ack for event frame ${frameMessageId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pendingAcks.set(frameMessageId, { resolve, reject, sentAt: 0, client, timer });
      for (const f of frames) client.ws.send(encodeFrame(f));
      const p = this.#pendingAcks.get(frameMessageId);
      if (p) p.sentAt = performance.now();
    });
  }

  #eventFrames(envelope: object, frameMessageId: string, opts: DeliverOptions): Frame[] {
    const payload = Buffer.from(JSON.stringify(envelope), 'utf8');
    const sum = Math.max(1, Math.min(opts.fragments ?? 1, payload.length));
    const size = Math.ceil(payload.length / sum);
    const traceId = crypto.randomUUID();
    const frames = Array.from({ length: sum }, (_, seq): Frame => ({
      SeqID: ++this.#seqId,
      LogID: crypto.randomInt(1e12),
      service: this.#serviceId,
      method: FRAME_DATA,
      headers: [
        { key: 'type', value: opts.frameType ?? 'event' },
        { key: 'message_id', value: frameMessageId },
        { key: 'sum', value: String(sum) },
        { key: 'seq', value: String(seq) },
        { key: 'trace_id', value: traceId },
        { key: 'timestamp', value: String(Date.now()) },
      ],
      // Byte slicing may split a UTF-8 character; the SDK joins bytes before decoding, as it must.
      payload: payload.subarray(seq * size, (seq + 1) * size),
    }));
    if (opts.reverseFragments) frames.reverse();
    return frames;
  }

  /** Resolves once at least one websocket client is connected (and has sent its first ping). */
  waitForClient(timeoutMs = 10_000): Promise<void> {
    if ([...this.#clients].some(isReady)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#clientWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#clientWaiters.delete(done);
        reject(new Error(`fake-lark: no websocket client within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#clientWaiters.add(done);
    });
  }

  clientCount(): number {
    return [...this.#clients].filter(isReady).length;
  }

  /** The connected clients' ids, in order of connection. */
  clientIds(): number[] {
    return [...this.#clients].filter(isReady).map((c) => c.id);
  }

  /** Close every client websocket (code 1001), e.g. to exercise the SDK's reconnect. */
  dropClients(options: { refuseForMs?: number } = {}): void {
    // Refusing reconnects for a while makes "no client connected" a state a test can rely on, not a race with the SDK's reconnect.
    this.#refuseUntil = performance.now() + (options.refuseForMs ?? 0);
    for (const c of this.#clients) c.ws.close(1001, 'going away');
  }

  /** Rejects pending deliveries and terminates every websocket. */
  close(): void {
    this.#closed = true;
    for (const [id, p] of this.#pendingAcks) {
      clearTimeout(p.timer);
      p.reject(new Error(`fake-lark: closed before ack of ${id}`));
    }
    this.#pendingAcks.clear();
    for (const c of this.#clients) c.ws.terminate();
    this.#wss.close();
  }
}
