/** @module Answering: weigh the evidence, then answer from it (extractive, or a verified model answer) or refuse. */
import type { Answerer } from './types.ts';
import type { GenerativeOptions } from './generative.ts';

export { cardLineAsked } from './card-lines.ts';
export { assessEvidence, DEFAULT_EVIDENCE, type Evidence, type EvidenceOptions } from './evidence.ts';
export { ExtractiveAnswerer } from './extractive.ts';
export { formatAnswerText } from './format-text.ts';
export { SYSTEM_PROMPT } from './prompt.ts';
export type { Answer, AnswerInput, Answerer, Citation } from './types.ts';
export { normalizeMarkers, numbersStated, parseChineseNumber, verifyAnswer } from './verify/index.ts';
export type { GenerativeOptions };

/**
 * The model-backed answerer. Loaded on demand: its client costs ~20 MB of memory that a bot
 * without a configured model should not pay.
 */
export async function createGenerativeAnswerer(options: GenerativeOptions, fallback: Answerer): Promise<Answerer> {
  const { GenerativeAnswerer } = await import('./generative.ts');
  return new GenerativeAnswerer(options, fallback);
}
