/**
 * @module When a question is a close variant of a curated one: Jaccard similarity of their word
 * sets, cut by the retrieval's own tokenizer (jieba search mode, stop words dropped), after the
 * retrieval's normalisation (full-width, traditional characters).
 */
import { normalizeQuery, tokenize } from '../../../core/text/index.ts';

/**
 * Measured on rewordings of 北京市科学技术奖包括哪些类别？: the same question reworded
 * (都包括哪些…呢 1.0, 北京…包括什么类别 0.78, …类别和等级 0.9) scores at least 0.78, while
 * another question about the same subject (…的奖金是多少 0.70, …由谁评审 0.70) or the same
 * question about another place (上海市… 0.50) scores at most 0.70: the subject's words, split
 * into sub-words by search mode, are most of both sets. A false match gives a wrong answer with
 * a citation, a miss only the ordinary answer, so the cut sits above the subject-only scores;
 * a variant it misses can be pinned on its own.
 */
export const CLOSE_VARIANT_SIMILARITY = 0.75;

export function questionTerms(question: string): Set<string> {
  return new Set(tokenize(normalizeQuery(question).toLowerCase()));
}

/** Terms holding a figure: a year, an amount, an article number. */
const FIGURE = /\d/;

/**
 * Jaccard similarity of the two word sets; 0 when they hold different figures. Over the 279
 * questions of tests/eval (38,781 pairs) the one pair above the cut was 渤海新区2018年城乡低保标准
 * against the same question for 2022 (0.80): one year in a question of ten words, and the answer
 * is another figure.
 */
export function questionSimilarity(left: Set<string>, right: Set<string>): number {
  const figures = (terms: Set<string>) => [...terms].filter((term) => FIGURE.test(term)).sort().join(' ');
  if (figures(left) !== figures(right)) return 0;
  let shared = 0;
  for (const term of left) if (right.has(term)) shared++;
  const union = left.size + right.size - shared;
  return union === 0 ? 0 : shared / union;
}
