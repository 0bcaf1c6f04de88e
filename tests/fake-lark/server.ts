/** Composition: one HTTP server carrying every API area's routes and the long connection's websocket upgrade. */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authRoutes } from './auth.ts';
import { cardRoutes } from './cardkit.ts';
import { cardActionEvent, envelope, messageEvent, type CardActionEventInput, type MessageEventInput } from './events.ts';
import { Faults, type InjectedFailure } from './faults.ts';
import { addResource, fileRoutes } from './files.ts';
import { createRequestListener } from './http.ts';
import { hex, newOpenId } from './ids.ts';
import { messageRoutes } from './messages.ts';
import { Recorder, type SentRecord } from './recording.ts';
import type { FakeRoute, RequestLogEntry } from './routes.ts';
import type { FakeCard, Platform, StoredMessage } from './state.ts';
import { cardJsonText } from './text.ts';
import { postWebhook, type WebhookOptions } from './webhook.ts';
import { LongConnection, type ClientConfig, type DeliverOptions, type DeliverResult } from './websocket.ts';

export interface FakeLarkOptions {
  /** Must match /^cli_[0-9a-f]{16}$/ or the SDK's WSClient silently refuses to start. Default: random. */
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  botName?: string;
  tenantKey?: string;
  /** Seconds; the SDK caches the token until `expire - 180 s`. Default 7200 like the platform. */
  tokenExpireSec?: number;
  /**
   * ClientConfig sent with the endpoint discovery and every pong (seconds).
   * Defaults are the platform's ping cadence but a much quicker reconnect (2 s + 0–1 s nonce)
   * so reconnect tests do not wait minutes.
   */
  clientConfig?: Partial<ClientConfig>;
}

export interface FakeLark {
  /** http://127.0.0.1:<port> — pass as `domain` to the SDK. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  tenantKey: string;
  /** Default sender of `messageEvent`. */
  userOpenId: string;

  /**
   * Push an envelope over a connected websocket (a random client, like the platform) and wait for its ack;
   * with `redeliverForMs`, push it again until acknowledged, as the platform does.
   */
  deliverEvent(envelope: object, options?: DeliverOptions): Promise<DeliverResult>;
  /** Resolves once at least one websocket client is connected (and has sent its first ping). Default timeout 10 s. */
  waitForWsClient(timeoutMs?: number): Promise<void>;
  wsClientCount(): number;
  /** The connected websocket clients' ids, in order of connection (for `deliverEvent`'s `toClient`). */
  wsClientIds(): number[];
  /** Close every client websocket (code 1001), e.g. to exercise the SDK's reconnect. */
  dropWsClients(options?: { refuseForMs?: number }): void;

  /** A schema-2.0 `im.message.receive_v1` envelope with fresh ids (also registers the message so replies to it are valid). */
  messageEvent(input: MessageEventInput): Record<string, any>;
  /** A schema-2.0 `card.action.trigger` envelope. */
  cardActionEvent(input: CardActionEventInput): Record<string, any>;
  /** Any schema-2.0 envelope (header filled in with a fresh event_id). */
  envelope(eventType: string, event: object): Record<string, any>;

  /** POST an envelope to a bot's webhook URL the way the platform does (encryption + signature headers). */
  postWebhook(url: string, envelope: object, options: WebhookOptions): Promise<{ status: number; body: string }>;

  /** A user attachment downloadable via GET /open-apis/im/v1/messages/:messageId/resources/:fileKey. */
  addResource(messageId: string, fileKey: string, data: Buffer, fileName?: string): void;

  /** Everything the platform accepted from the bot, in order. */
  sent: SentRecord[];
  /** Resolve with the first record (already sent or future) matching `predicate`. Default timeout 5 s. */
  waitFor(predicate: (r: SentRecord) => boolean, timeoutMs?: number): Promise<SentRecord>;
  /** Every HTTP request, in arrival order. */
  requests: RequestLogEntry[];
  /** CardKit cards by id, with their current JSON. */
  cards: Map<string, FakeCard>;
  /** Messages known to the platform (bot-sent and those built by `messageEvent`). */
  messages: Map<string, StoredMessage>;
  /** Plain text of the card's markdown/plain_text elements, joined by '\n' (what the user currently sees). */
  cardText(cardId: string): string;

  /** Make the next `times` (default 1) authenticated calls to `route` answer `failure` instead. */
  failNext(route: FakeRoute, failure: InjectedFailure, times?: number): void;

  /** Stop everything: websockets, pending requests, the HTTP server. Call `channel.disconnect()` first. */
  close(): Promise<void>;
}

/** The parts one fake is made of. */
interface Parts {
  platform: Platform;
  recorder: Recorder;
  requests: RequestLogEntry[];
  faults: Faults;
  longConnection: LongConnection;
  server: http.Server;
  sockets: Set<Socket>;
}

function createPlatform(options: FakeLarkOptions, recorder: Recorder): Platform {
  return {
    appId: options.appId ?? `cli_${hex(8)}`,
    appSecret: options.appSecret ?? hex(16),
    botOpenId: options.botOpenId ?? newOpenId(),
    botName: options.botName ?? 'Test Bot',
    tenantKey: options.tenantKey ?? hex(8),
    userOpenId: newOpenId(),
    tokenExpireSec: options.tokenExpireSec ?? 7200,
    cards: new Map(),
    messages: new Map(),
    resources: new Map(),
    uploads: new Map(),
    p2pChats: new Map(),
    chatModes: new Map(),
    record: (r) => recorder.record(r),
  };
}

/** Open sockets, so `close()` does not wait for idle keep-alive connections. */
function trackSockets(server: http.Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const recorder = new Recorder();
  const platform = createPlatform(options, recorder);
  const clientConfig: ClientConfig = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 2, ReconnectNonce: 1, ...options.clientConfig };
  const requests: RequestLogEntry[] = [];
  const faults = new Faults();
  const server = http.createServer();
  const longConnection = new LongConnection(server, clientConfig);
  const routes = [...authRoutes, ...longConnection.routes, ...messageRoutes, ...fileRoutes, ...cardRoutes];
  server.on('request', createRequestListener({ platform, routes, requests, faults }));
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return facade({ platform, recorder, requests, faults, longConnection, server, sockets });
}

/** Hangs end unanswered, pending acks reject, websockets terminate, then the HTTP server closes. */
async function shutdown({ faults, longConnection, server, sockets }: Parts): Promise<void> {
  faults.close();
  longConnection.close();
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const s of sockets) s.destroy();
  await done;
}

/** The test-facing object: platform identity, event pushing, and what the bot did. */
function facade(parts: Parts): FakeLark {
  const { platform: p, recorder, requests, faults, longConnection, server } = parts;
  let closed = false;
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    appId: p.appId, appSecret: p.appSecret, botOpenId: p.botOpenId, botName: p.botName, tenantKey: p.tenantKey, userOpenId: p.userOpenId,
    deliverEvent: (env, opts) => longConnection.deliverEvent(env, opts),
    waitForWsClient: (timeoutMs) => longConnection.waitForClient(timeoutMs),
    wsClientCount: () => longConnection.clientCount(),
    wsClientIds: () => longConnection.clientIds(),
    dropWsClients: (options) => longConnection.dropClients(options),
    messageEvent: (input) => messageEvent(p, input),
    cardActionEvent: (input) => cardActionEvent(p, input),
    envelope: (eventType, event) => envelope(p, eventType, event),
    postWebhook,
    addResource: (messageId, fileKey, data, fileName) => addResource(p, messageId, fileKey, data, fileName),
    sent: recorder.sent,
    waitFor: (predicate, timeoutMs) => recorder.waitFor(predicate, timeoutMs),
    requests,
    cards: p.cards,
    messages: p.messages,
    cardText: (cardId) => cardJsonText(p.cards.get(cardId)?.card),
    failNext: (route, failure, times) => faults.failNext(route, failure, times),
    close: async () => {
      if (closed) return;
      closed = true;
      await shutdown(parts);
    },
  };
}
