/** @module Lark/Feishu as a chat transport, through the official SDK (loaded only when Lark is configured). */
export { connectLark, type LarkConnection } from './channel.ts';
export { createHttpInstance } from './http-instance.ts';
export { postText, sentByApp, toIncoming } from './incoming.ts';
export { LarkTransport } from './transport.ts';
export { channelDispatcher } from './webhook.ts';
