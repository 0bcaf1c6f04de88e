/**
 * @module A streaming reply on a CardKit card, done here rather than by `channel.stream`, whose
 * reply cannot carry an idempotency `uuid`: with one, the stream of a message answered again (a
 * replay after a crash, a retried timeout) is the very message shown the first time, and the final
 * card then replaces its content. Updates are throttled as the SDK throttles them; a failed
 * update ends the updates but not the stream, since the final card replaces it anyway.
 */
import type { LarkChannel } from '@larksuiteoapi/node-sdk';
import { sendReply } from './reply.ts';

const ELEMENT_ID = 'stream_md';
/** The SDK's placeholder is English ("Thinking..."). */
const INITIAL_TEXT = '正在查找相关政策…';
/** At most one update per this many ms: each is an API call, and the client animates between them. */
const THROTTLE_MS = 100;
/** The card's preview text in chat lists is at most this long. */
const SUMMARY_CHARS = 50;

function streamingCard(): object {
  return {
    schema: '2.0',
    config: {
      streaming_mode: true,
      // The final card replaces this one with a message PATCH, which Lark allows only when both cards declare it.
      update_multi: true,
      summary: { content: INITIAL_TEXT },
      streaming_config: { print_frequency_ms: { default: 70 }, print_step: { default: 1 }, print_strategy: 'fast' },
    },
    body: { elements: [{ tag: 'markdown', element_id: ELEMENT_ID, content: INITIAL_TEXT }] },
  };
}

/** Pushes the latest text of a stream, skipping states that were overtaken while an update was on its way. */
class StreamUpdates {
  readonly #channel: LarkChannel;
  readonly #cardId: string;
  #sequence = 0;
  #latest: string | undefined;
  #failed = false;
  #running: Promise<void> | undefined;

  constructor(channel: LarkChannel, cardId: string) {
    this.#channel = channel;
    this.#cardId = cardId;
  }

  push(markdown: string): void {
    this.#latest = markdown;
    this.#running ??= this.#run();
  }

  async #run(): Promise<void> {
    let sent: string | undefined;
    // The check and the reset below run in one synchronous step, so no push falls between them.
    while (!this.#failed && this.#latest !== sent) {
      sent = this.#latest ?? '';
      await this.#call((sequence) =>
        this.#channel.rawClient.cardkit.v1.cardElement.content({
          path: { card_id: this.#cardId, element_id: ELEMENT_ID },
          data: { content: sent!, sequence, uuid: `c_${this.#cardId}_${sequence}` },
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, THROTTLE_MS));
    }
    this.#running = undefined;
  }

  async #call(request: (sequence: number) => Promise<unknown>): Promise<void> {
    try {
      await request(++this.#sequence);
    } catch {
      this.#failed = true;
    }
  }

  /** Waits for the last update, then ends streaming mode (the typing cursor) with a preview of the text. */
  async finish(): Promise<void> {
    while (this.#running) await this.#running;
    const summary = (this.#latest ?? INITIAL_TEXT).replace(/\s+/g, ' ').slice(0, SUMMARY_CHARS);
    await this.#call((sequence) =>
      this.#channel.rawClient.cardkit.v1.card.settings({
        path: { card_id: this.#cardId },
        data: { settings: JSON.stringify({ config: { streaming_mode: false, summary: { content: summary } } }), sequence, uuid: `s_${this.#cardId}_${sequence}` },
      }),
    );
  }
}

/** Creates the card, replies with it under `key`, runs `produce`, and returns the reply's message id. */
export async function streamReply(channel: LarkChannel, options: { messageId: string; key: string; produce: (update: (markdown: string) => void) => Promise<void> }): Promise<string> {
  const created = await channel.rawClient.cardkit.v1.card.create({ data: { type: 'card_json', data: JSON.stringify(streamingCard()) } });
  const cardId = created.data?.card_id;
  if (!cardId) throw new Error(`cardkit: no card_id in the answer (code ${String(created.code)}: ${String(created.msg)})`);
  const replyId = await sendReply(channel, { messageId: options.messageId, msgType: 'interactive', content: JSON.stringify({ type: 'card', data: { card_id: cardId } }), key: options.key });
  const updates = new StreamUpdates(channel, cardId);
  try {
    await options.produce((markdown) => updates.push(markdown));
  } finally {
    await updates.finish();
  }
  return replyId;
}
