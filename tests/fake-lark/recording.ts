/** The record of everything the platform accepted from the bot, and waiting for it. */

/** Kinds of records in `sent`: everything the bot changed on the platform. */
type SentKind =
  | 'create'
  | 'reply'
  | 'patch'
  | 'update'
  | 'delete'
  | 'reaction'
  | 'reaction_delete'
  | 'image_upload'
  | 'file_upload'
  | 'card_create'
  | 'card_update'
  | 'card_element_content'
  | 'card_settings';

export interface SentRecord {
  kind: SentKind;
  /** Position in `sent`. */
  index: number;
  /** Date.now() when the platform accepted it. */
  at: number;
  /** create/reply: the NEW message's id. patch/update/delete/reaction: the target message's id. */
  messageId?: string;
  /** reply: the message replied to (path id). */
  replyTo?: string;
  replyInThread?: boolean;
  /** create: `receive_id` and `receive_id_type`. */
  receiveId?: string;
  receiveIdType?: string;
  /** Chat the message lives in (create/reply, and patch/update when the target is known). */
  chatId?: string;
  msgType?: string;
  /** Message content parsed from its JSON string; card JSON for card_create/card_update; the markdown for card_element_content. */
  content?: any;
  /** The content exactly as sent (JSON string for messages). */
  rawContent?: string;
  /** card_*: the CardKit card id; create/reply: set when the message references a CardKit card. */
  cardId?: string;
  elementId?: string;
  sequence?: number;
  uuid?: string;
  /** card_settings: the parsed `settings` JSON (e.g. `{config:{streaming_mode:false, summary:{content}}}`). */
  settings?: any;
  emojiType?: string;
  reactionId?: string;
  /** uploads: the issued key, original file name and size. */
  fileKey?: string;
  fileName?: string;
  bytes?: number;
  /** The parsed request body (JSON) or multipart text fields. */
  body: any;
}

export type NewRecord = Omit<SentRecord, 'index' | 'at'>;

interface Waiter {
  predicate: (r: SentRecord) => boolean;
  resolve: (r: SentRecord) => void;
}

export class Recorder {
  readonly sent: SentRecord[] = [];
  readonly #waiters = new Set<Waiter>();

  record(r: NewRecord): SentRecord {
    const full: SentRecord = { ...r, index: this.sent.length, at: Date.now() };
    this.sent.push(full);
    for (const w of [...this.#waiters]) {
      if (w.predicate(full)) {
        this.#waiters.delete(w);
        w.resolve(full);
      }
    }
    return full;
  }

  waitFor(predicate: (r: SentRecord) => boolean, timeoutMs = 5_000): Promise<SentRecord> {
    const hit = this.sent.find(predicate);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        predicate,
        resolve: (r: SentRecord): void => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(w);
        reject(new Error(`fake-lark: waitFor timed out after ${timeoutMs} ms; sent so far: ${this.#summary()}`));
      }, timeoutMs);
      this.#waiters.add(w);
    });
  }

  #summary(): string {
    return this.sent.map((r) => `${r.kind}${r.msgType ? `(${r.msgType})` : ''}`).join(', ') || 'nothing';
  }
}
