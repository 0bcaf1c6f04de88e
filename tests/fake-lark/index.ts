/**
 * A local fake of the Lark/Feishu open platform for tests.
 *
 * It speaks the real wire protocols on 127.0.0.1 (ephemeral port) so the real
 * `@larksuiteoapi/node-sdk` (`createLarkChannel`, `WSClient`, `Client`,
 * `EventDispatcher`) runs unmodified against it:
 *
 *   const fake = await startFakeLark();
 *   const channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl });
 *   await channel.connect();                                  // token, bot info, ws discovery, ws handshake
 *   const { ack } = await fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: '你好' }));
 *   const reply = await fake.waitFor((r) => r.kind === 'reply');
 *   await channel.disconnect(); await fake.close();           // disconnect FIRST, else the SDK retries forever
 *
 * What is implemented (see /work/shared/docs/lark-platform-notes.md for the wire facts):
 * - `POST /open-apis/auth/v3/tenant_access_token/internal` — real credential check; every other
 *   /open-apis call must carry `Authorization: Bearer <token>` (400 + 99991661/99991663 otherwise).
 * - `GET /open-apis/bot/v3/info`.
 * - `POST /callback/ws/endpoint` + a websocket at `/ws/v2` speaking the `pbbp2.Frame` protobuf
 *   (ping → pong with ClientConfig, event frames with `sum`/`seq` fragmentation, ack frames parsed).
 * - IM messages: create, reply, PATCH (card update), PUT (edit), DELETE (recall), GET, reactions,
 *   message resources (user attachments, streamed binary), image/file upload and download, chat info.
 * - CardKit: card create, full update, element content (streaming), settings — with sequence checks.
 * - Webhook delivery to a bot's HTTP endpoint with real AES-256-CBC encryption and signature.
 *
 * Everything the bot successfully sends is appended to `sent`; every HTTP request is in `requests`.
 * Error codes for validation failures are close to the platform's but not guaranteed identical.
 *
 * This file is the public surface only; `server.ts` wires the API areas together.
 */
export { startFakeLark, type FakeLark } from './server.ts';
export { sentText } from './text.ts';
export type { SentRecord } from './recording.ts';
