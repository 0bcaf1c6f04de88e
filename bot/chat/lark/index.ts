/** @module Lark/Feishu as a chat transport, through the official SDK (loaded only when Lark is configured). */
export { connectLark, LarkTransport, type LarkConnection } from './channel.ts';
