/**
 * @module The default embedder: deterministic, offline, no model download.
 *
 * Honest label: this is a *lexical* embedding (feature hashing of jieba words and character
 * bigrams with sublinear term frequency), not a semantic model. It matches shared words and
 * partial words (技改 ~ 技术改造 share 技), never meaning. Retrieval therefore leans on the keyword
 * index and the synonym lexicon; a neural embedder can replace this one through `EMBEDDINGS`.
 */
import { Embeddings } from '@langchain/core/embeddings';
import { LOCAL_DIMENSIONS } from '../config.ts';
import { tokenize } from '../text/index.ts';
import type { IndexEmbedder } from './types.ts';

const CJK_RUN = /[\u3400-\u9fff]+/g;
const BIGRAM_WEIGHT = 0.5;

/** FNV-1a: fast, stable across runs and platforms, good enough spread for feature hashing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class LocalLexicalEmbeddings extends Embeddings implements IndexEmbedder {
  readonly dimensions: number;
  readonly id: string;

  constructor(options: { dimensions?: number } = {}) {
    super({});
    this.dimensions = options.dimensions ?? LOCAL_DIMENSIONS;
    this.id = `local-lexical-v1/${this.dimensions}`;
  }

  embedText(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    for (const token of tokenize(text)) add(`w:${token}`, 1);
    for (const run of text.match(CJK_RUN) ?? []) {
      for (let index = 0; index + 1 < run.length; index++) add(`b:${run.slice(index, index + 2)}`, BIGRAM_WEIGHT);
    }
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const [feature, count] of counts) {
      const hash = fnv1a(feature);
      // The sign bit spreads collisions around zero instead of piling them up.
      const sign = hash & 0x80000000 ? -1 : 1;
      const slot = hash % this.dimensions;
      vector[slot] = (vector[slot] ?? 0) + sign * (1 + Math.log(count));
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((value) => value / norm);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embedText(text));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
