/** @module Webhook mode: an HTTP server that hands Lark's callbacks to the channel's dispatcher, plus `/healthz`. */
import http from 'node:http';
import type { EventDispatcher, LarkChannel } from '@larksuiteoapi/node-sdk';
import { AppError } from '../../../core/index.ts';
import { EventDispatcher as SdkEventDispatcher, SDK_VERSION, adaptDefault } from './sdk.ts';

const WEBHOOK_PATHS = ['/webhook/event', '/webhook/card'];

/**
 * The channel's dispatcher, which carries its dedup, policy and queueing. The SDK keeps it private
 * and offers no public way to mount it (its `webhook.adapter` option is never read; its source says
 * "user plugs this.dispatcher into their HTTP handler"), so this is the one place that reaches in,
 * and it fails loudly at start-up if an SDK update moves it.
 */
export function channelDispatcher(channel: LarkChannel): EventDispatcher {
  const dispatcher: unknown = (channel as unknown as { dispatcher?: unknown }).dispatcher;
  if (!(dispatcher instanceof SdkEventDispatcher)) {
    throw new AppError(
      'dependency_incompatible',
      `已安装的 @larksuiteoapi/node-sdk ${SDK_VERSION} 不再提供 LarkChannel.dispatcher，webhook 模式需要随 SDK 更新（bot/chat/lark/webhook.ts）；在此之前请改用 LARK_TRANSPORT=websocket`,
    );
  }
  return dispatcher;
}

/** Resolves once listening on `port`. */
export async function serveWebhooks(dispatcher: EventDispatcher, port: number): Promise<http.Server> {
  const handlers = new Map(WEBHOOK_PATHS.map((path) => [path, adaptDefault(path, dispatcher, { autoChallenge: true })]));
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    const handler = handlers.get(path);
    if (request.method === 'GET' && path === '/healthz') {
      response.end('ok');
    } else if (handler && request.method === 'POST') {
      // adaptDefault compares req.url exactly; a query string would leave the request hanging.
      request.url = path;
      void handler(request, response);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return server;
}
