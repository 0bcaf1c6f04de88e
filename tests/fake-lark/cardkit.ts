/** CardKit (cardkit/v1): card entities, full updates, streamed element content and settings, with sequence checks. */
import { newCardId } from './ids.ts';
import { parseJson } from './json.ts';
import { bad, ok, type Ctx, type RouteSpec } from './routes.ts';
import type { FakeCard, Platform } from './state.ts';

function cardOf(p: Platform, id: string | undefined): FakeCard {
  const c = id ? p.cards.get(id) : undefined;
  if (!c) throw bad(300301, `card not found: ${String(id)}`);
  return c;
}

/** Strictly increasing per card, as CardKit demands. */
function bumpSequence(card: FakeCard, sequence: unknown): number {
  if (typeof sequence !== 'number' || !Number.isInteger(sequence)) throw bad(99992402, 'field validation failed: sequence');
  if (sequence <= card.sequence) throw bad(300317, `sequence number compare failed: ${sequence} <= ${card.sequence}`);
  card.sequence = sequence;
  return sequence;
}

function findElement(node: any, elementId: string): any {
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = findElement(n, elementId);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  if (node.element_id === elementId) return node;
  for (const v of Object.values(node)) {
    if (typeof v === 'object') {
      const hit = findElement(v, elementId);
      if (hit) return hit;
    }
  }
  return undefined;
}

function createCard({ platform: p, body }: Ctx): object {
  if (body?.type !== 'card_json') throw bad(99992402, 'field validation failed: type');
  const parsed = typeof body?.data === 'string' ? parseJson(body.data) : { ok: false as const };
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw bad(300300, 'invalid card json');
  const card: FakeCard = { cardId: newCardId(), card: parsed.value, sequence: 0, messageIds: [] };
  p.cards.set(card.cardId, card);
  p.record({ kind: 'card_create', cardId: card.cardId, content: structuredClone(parsed.value), rawContent: body.data, body });
  return ok({ card_id: card.cardId });
}

function updateCard({ platform: p, body, params }: Ctx): object {
  const card = cardOf(p, params.card_id);
  const parsed = typeof body?.card?.data === 'string' ? parseJson(body.card.data) : { ok: false as const };
  if (body?.card?.type !== 'card_json' || !parsed.ok) throw bad(300300, 'invalid card json');
  const sequence = bumpSequence(card, body?.sequence);
  card.card = parsed.value;
  p.record({ kind: 'card_update', cardId: card.cardId, sequence, uuid: body?.uuid, content: structuredClone(parsed.value), rawContent: body.card.data, body });
  return ok();
}

function streamElementContent({ platform: p, body, params }: Ctx): object {
  const card = cardOf(p, params.card_id);
  const elementId = params.element_id ?? '';
  const el = findElement(card.card?.body ?? card.card, elementId);
  if (!el) throw bad(300302, `element not found: ${elementId}`);
  if (card.card?.config?.streaming_mode !== true) throw bad(300309, 'streaming mode is closed');
  if (typeof body?.content !== 'string') throw bad(99992402, 'field validation failed: content');
  const sequence = bumpSequence(card, body?.sequence);
  el.content = body.content;
  p.record({ kind: 'card_element_content', cardId: card.cardId, elementId, sequence, uuid: body?.uuid, content: body.content, body });
  return ok();
}

function updateSettings({ platform: p, body, params }: Ctx): object {
  const card = cardOf(p, params.card_id);
  const parsed = typeof body?.settings === 'string' ? parseJson(body.settings) : { ok: false as const };
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) throw bad(99992402, 'field validation failed: settings');
  const sequence = bumpSequence(card, body?.sequence);
  const cfg = parsed.value.config;
  if (cfg && typeof cfg === 'object') card.card.config = { ...(card.card.config ?? {}), ...cfg };
  p.record({ kind: 'card_settings', cardId: card.cardId, sequence, uuid: body?.uuid, settings: parsed.value, body });
  return ok();
}

export const cardRoutes: RouteSpec[] = [
  { method: 'POST', path: '/open-apis/cardkit/v1/cards', route: 'card_create', auth: true, handle: createCard },
  { method: 'PUT', path: '/open-apis/cardkit/v1/cards/:card_id', route: 'card_update', auth: true, handle: updateCard },
  { method: 'PUT', path: '/open-apis/cardkit/v1/cards/:card_id/elements/:element_id/content', route: 'card_element_content', auth: true, handle: streamElementContent },
  { method: 'PATCH', path: '/open-apis/cardkit/v1/cards/:card_id/settings', route: 'card_settings', auth: true, handle: updateSettings },
];
