/**
 * @module Card button callbacks, answered by the bot's own handler on the channel's dispatcher
 * instead of through the channel's `cardAction` event. That event cannot answer the callback (its
 * handler's return value is dropped, so no toast reaches the clicker), and it waits in the chat's
 * queue behind answers still being written, easily past the 3 s Lark allows a callback.
 */
import type { EventDispatcher } from '@larksuiteoapi/node-sdk';
import type { ChatBot } from '../pipeline.ts';
import { normalizeCardAction } from './sdk.ts';

const CARD_ACTION = 'card.action.trigger';

/**
 * Call right after `channel.connect()`, which registers the channel's own handler: this one
 * replaces it. No event can arrive in between, since `connect()` resolves in the same turn of
 * the event loop as the handshake that lets events in.
 */
export function answerCardCallbacks(dispatcher: EventDispatcher, bot: Pick<ChatBot, 'handleCardAction'>): void {
  dispatcher.unregister(CARD_ACTION);
  dispatcher.register({
    [CARD_ACTION]: async (raw: Parameters<typeof normalizeCardAction>[0]) => {
      const event = normalizeCardAction(raw);
      if (!event) return undefined;
      return bot.handleCardAction({ messageId: event.messageId, chatId: event.chatId, operatorId: event.operator.openId, value: event.action.value });
    },
  });
}
