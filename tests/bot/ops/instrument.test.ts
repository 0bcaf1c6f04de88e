/** The decorators count what passes through them, failures included, and pass results on unchanged. */
import { describe, expect, it } from 'vitest';
import type { ChatTransport } from '../../../bot/chat/index.ts';
import { larkEventCounter, measuredIngest, measuredTransport, OpsMetrics } from '../../../bot/ops/index.ts';
import { AppError } from '../../../core/index.ts';

const sampleOf = async (metrics: OpsMetrics, line: string) => Number((await metrics.registry.metrics()).split('\n').find((text) => text.startsWith(`${line} `))?.split(' ')[1] ?? Number.NaN);

describe('measuredTransport', () => {
  it('counts replies and updates, and failed replies by error code, passing errors on', async () => {
    const metrics = new OpsMetrics();
    let fail = false;
    const inner: ChatTransport = {
      async replyCard() {
        if (fail) throw new AppError('reply_unconfirmed', 'timed out');
        return 'om_reply';
      },
      async updateCard() {},
      async downloadAttachment() {
        return Buffer.from('');
      },
    };
    const transport = measuredTransport(inner, metrics);
    expect(transport.streamReply).toBeUndefined();
    expect(await transport.replyCard('om_1', {})).toBe('om_reply');
    await transport.updateCard('om_reply', {});
    fail = true;
    await expect(transport.replyCard('om_2', {})).rejects.toMatchObject({ code: 'reply_unconfirmed' });
    expect(await sampleOf(metrics, 'bot_replies_total{kind="reply"}')).toBe(1);
    expect(await sampleOf(metrics, 'bot_replies_total{kind="update"}')).toBe(1);
    expect(await sampleOf(metrics, 'bot_reply_errors_total{kind="reply",code="reply_unconfirmed"}')).toBe(1);
  });
});

describe('measuredIngest', () => {
  it('counts runs by result and observes their duration', async () => {
    const metrics = new OpsMetrics();
    const ok = measuredIngest(async () => 'summary', metrics);
    const broken = measuredIngest(async () => Promise.reject(new Error('disk full')), metrics);
    expect(await ok()).toBe('summary');
    await expect(broken()).rejects.toThrow('disk full');
    expect(await sampleOf(metrics, 'bot_ingest_runs_total{result="ok"}')).toBe(1);
    expect(await sampleOf(metrics, 'bot_ingest_runs_total{result="error"}')).toBe(1);
    expect(await sampleOf(metrics, 'bot_ingest_duration_seconds_count')).toBe(2);
  });
});

describe('larkEventCounter', () => {
  it('counts received events and acks by type and result', async () => {
    const metrics = new OpsMetrics();
    const events = larkEventCounter(metrics);
    events.received('im.message.receive_v1');
    events.acknowledged('im.message.receive_v1', true);
    events.received('card.action.trigger');
    events.acknowledged('card.action.trigger', false);
    expect(await sampleOf(metrics, 'bot_lark_events_total{event_type="im.message.receive_v1"}')).toBe(1);
    expect(await sampleOf(metrics, 'bot_lark_acks_total{event_type="card.action.trigger",result="error"}')).toBe(1);
  });
});
