/**
 * @module What the user gets when the evidence does not answer the question, the same for every
 * answerer. Either the clauses closest to the question, presented as what they are (not an
 * answer), when they share a real part of it; or a plain "not in the documents" naming what was
 * not found and the closest documents, so the user knows where the bot looked.
 */
import { splitSentences } from '../../core/text/index.ts';
import { conceptCovered, type RetrievedChunk, type WeightedConcept } from '../retrieval/index.ts';
import { citationOf } from './citation.ts';
import { pageWrapped } from './layout.ts';
import { DEFAULT_EVIDENCE, type Evidence } from './evidence.ts';
import type { Answer, Citation } from './types.ts';

/**
 * A passage is related when it covers at least half of the question's weight: more of what was
 * asked is there than is missing, so it is about the question's subject and lacks only the part
 * asked for (the figure, the year, the materials). Below half, what it shares is incidental — a
 * word or two of the question (the 专项 of 6个专项行动 for a question about 个税专项附加扣除).
 */
const RELATED_MIN_COVERAGE = 0.5;
/** More clauses than this read as an answer assembled from pieces, which this is not. */
const MAX_RELATED = 3;

const RELATED_LEAD = '文件中没有直接回答这个问题。以下条款与您的问题最相关：';

function closestDocuments(retrieved: RetrievedChunk[], limit = 3): { docId: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const hit of retrieved) {
    if (seen.size >= limit) break;
    if (!seen.has(hit.document.docId)) seen.set(hit.document.docId, hit.document.title);
  }
  return [...seen].map(([docId, title]) => ({ docId, title }));
}

/**
 * The passage's sentence that carries most of the question, the first of equals. A sentence with
 * none of the question's topic words (only 政策, 规定 …) says nothing about it, nor does a
 * heading repeated on its own.
 */
function relevantSentence(hit: RetrievedChunk, concepts: WeightedConcept[]): string | undefined {
  let best: { text: string; weight: number } | undefined;
  for (const sentence of splitSentences(hit.chunk.text, pageWrapped(hit.document))) {
    if (sentence.text.length < 6 || hit.chunk.headings.includes(sentence.text.replace(/[。：:；;]$/, ''))) continue;
    const lower = sentence.text.toLowerCase();
    const covered = concepts.filter((concept) => conceptCovered(concept, lower));
    if (!covered.some((concept) => !concept.generic)) continue;
    const weight = covered.reduce((sum, concept) => sum + concept.weight, 0);
    if (!best || weight > best.weight) best = { text: sentence.text, weight };
  }
  return best?.text;
}

/**
 * The clauses to show instead of an answer: among the passages the evidence check weighed, in
 * retrieval order, those that are related. A passage from a document about another place is not,
 * however much it shares: it is about somewhere else (search.ts, offPlace).
 */
function relatedClauses(retrieved: RetrievedChunk[], evidence: Evidence): Citation[] {
  const citations: Citation[] = [];
  retrieved.slice(0, DEFAULT_EVIDENCE.consider).forEach((hit, rank) => {
    if (citations.length >= MAX_RELATED || hit.offPlace || (evidence.formCoverageByChunk[rank] ?? 0) < RELATED_MIN_COVERAGE) return;
    const quote = relevantSentence(hit, evidence.concepts);
    if (!quote || citations.some((citation) => citation.docId === hit.document.docId && citation.quote === quote)) return;
    citations.push(citationOf(hit, citations.length + 1, quote));
  });
  return citations;
}

/** The reply when the evidence does not answer the question (or no sentence of it could be quoted). */
export function nonAnswer(retrieved: RetrievedChunk[], evidence: Evidence): Answer {
  const closest = closestDocuments(retrieved);
  const meaningful = evidence.concepts.filter((concept) => !concept.generic);
  const related = meaningful.length > 0 ? relatedClauses(retrieved, evidence) : [];
  if (related.length > 0) {
    const lines = [RELATED_LEAD, ...related.map((citation) => `“${citation.quote}”[${citation.n}]`), '如需确切答复，请咨询相关主管部门或政务服务中心。'];
    return { refused: true, outcome: 'related', text: lines.join('\n'), citations: related, closestDocuments: closest, mode: 'extractive' };
  }
  const missing = evidence.missing.filter((surface) => meaningful.some((concept) => concept.surface === surface));
  const subject = missing.length > 0 ? `「${missing.slice(0, 3).join('、')}」` : '这个问题';
  const lines = [
    meaningful.length === 0
      ? '请直接描述您想了解的政策问题，例如“一窗通办怎么办理？”或“技术改造有什么奖补？”。'
      : `知识库中没有找到与${subject}相关的政策内容，无法给出有依据的回答。`,
  ];
  if (meaningful.length > 0 && closest.length > 0) {
    lines.push(`最接近的文档：${closest.map((document) => `《${document.title}》`).join('、')}。`);
  }
  if (meaningful.length > 0) {
    lines.push('可以换个说法（例如使用文件中的正式名称）再问，或咨询相关主管部门、政务服务中心。');
  }
  return { refused: true, outcome: 'none', text: lines.join('\n'), citations: [], closestDocuments: closest, mode: 'extractive' };
}
