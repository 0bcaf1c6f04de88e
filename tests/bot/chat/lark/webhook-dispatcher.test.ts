/**
 * Webhook mode's one reach into the SDK's internals, run against the installed SDK: an upgrade
 * that moves the channel's dispatcher fails here instead of at a customer's start-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkChannel, EventDispatcher, type LarkChannel } from '@larksuiteoapi/node-sdk';
import { isAppError } from '../../../../core/index.ts';
import { channelDispatcher } from '../../../../bot/chat/lark/index.ts';
import { startFakeLark, type FakeLark } from '../../../fake-lark/index.ts';

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
let fake: FakeLark;
let channel: LarkChannel;

beforeAll(async () => {
  fake = await startFakeLark();
  channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, transport: 'webhook', webhook: { encryptKey: 'k' }, logger: quiet });
});

afterAll(async () => {
  await channel?.disconnect();
  await fake?.close();
});

describe('channelDispatcher', () => {
  it('finds the dispatcher that a connected webhook channel routes messages through', async () => {
    const dispatcher = channelDispatcher(channel);
    expect(dispatcher).toBeInstanceOf(EventDispatcher);
    await channel.connect();
    expect(channelDispatcher(channel)).toBe(dispatcher);
    expect(dispatcher.handles.has('im.message.receive_v1')).toBe(true);
  });

  it('names the SDK version as the problem when the dispatcher is gone or is something else', () => {
    for (const changed of [{}, { dispatcher: undefined }, { dispatcher: { invoke: () => undefined } }]) {
      let caught: unknown;
      try {
        channelDispatcher(changed as unknown as LarkChannel);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught, 'dependency_incompatible')).toBe(true);
      expect((caught as Error).message).toMatch(/@larksuiteoapi\/node-sdk \d+\.\d+\.\d+ 不再提供 LarkChannel\.dispatcher，webhook 模式需要/);
    }
  });
});
