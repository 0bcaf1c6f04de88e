/**
 * @module Hybrid retrieval. The keyword side (BM25 over jieba tokens and character bigrams,
 * expansions weighted down) finds candidates; each candidate's text score blends its BM25 score,
 * scaled to the best hit, with how much of the question's weighted concepts it covers (a soft
 * AND), plus small bonuses for a quoted term found verbatim and for holding the kind of figure
 * asked for. The vector side adds candidates and a small share of the score. With the default
 * local lexical embedder it repeats the keyword side's evidence (words and bigrams), so its
 * weight only breaks near-ties: on tests/eval 0.03 equals keyword-only at hit@1 and improves MRR,
 * while 0.05 and above lose hit@1. A semantic embedder may deserve more (measure it).
 */
import { LRUCache } from 'lru-cache';
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import { DOCUMENT_INFO_HEADING, type ChunkRecord, type DocumentRecord, type TermStats } from '../../core/index.ts';
import { BIGRAM_MARK, charBigrams, tokenize } from '../../core/text/index.ts';
import { holdsAttribute, labelledWith } from './attributes.ts';
import { clauseChunks } from './clauses.ts';
import { conceptCovered, coverageOf, passageText, weighConcepts, type WeightedConcept } from './concepts.ts';
import type { IndexHandle } from './index-handle.ts';
import { bestGlosses, glossesOf, withGlosses, type Gloss } from './labels.ts';
import { isKnownDivision, placeStem, placesNamedIn, type AnalyzedQuery } from './query.ts';

export interface RetrievedChunk {
  ordinal: number;
  chunk: ChunkRecord;
  document: DocumentRecord;
  /** Fused score, higher is better: [0, 1] plus at most the bonuses (quoted term, attribute, definition, clause). */
  score: number;
  keywordScore: number;
  /** Cosine similarity (1 − hnswlib's cosine distance). */
  vectorSimilarity: number;
    /**
   * The passage's document is about somewhere else: it never mentions a place the question names
   * that some document is about (安阳), or the question names a place no document is about (郑州)
   * and this document is about another. Ranked down, and never accepted as evidence.
   */
  offPlace?: boolean;
  /**
   * The places the question names that the passage's document names somewhere: the passage is
   * about them though it may not repeat them (a measure of 安徽's 若干措施 is 安徽's without saying so).
   */
  places?: string[];
  /** The passage is (part of) the unit the question names by number: 第二十八条, 第三章. */
  clause?: boolean;
  /** Class labels of its document the passage uses (5 型保障对象), with their definitions (labels.ts). */
  glosses?: Gloss[];
}

export interface SearchOptions {
  topK: number;
  /** How many candidates each side contributes before fusion. */
  candidates: number;
  vectorWeight: number;
  /** Weight of lexicon expansions relative to the user's own words. */
  expansionWeight: number;
  /** Weight of the character-bigram field relative to whole words in the text. */
  bigramWeight: number;
  /**
   * Share of the text score that comes from concept coverage rather than BM25: a passage that
   * names every part of the question beats one that repeats its commonest word.
   */
  coverageWeight: number;
  /** Added to the text score of a passage that contains a quoted term of the question verbatim. */
  quotedBonus: number;
  /** Added for a passage holding the attribute asked for (多少钱 → an amount in 元, 几天 → 五个工作日). */
  figureBonus: number;
  /** Added for a passage whose own section is labelled with what is asked (（一）申请时间 for 啥时候). */
  labelBonus: number;
  /** Added for a passage that defines something (本规定所称…是指) when the question asks what a term means. */
  definitionBonus: number;
  /**
   * Terms found in more than this share of chunks (and more than 50) are left out of the keyword
   * query, as long as `minTerms` rarer ones remain. They add almost nothing to BM25 but make it
   * score most of a large corpus (a 17,000-chunk index: 107 ms → a few ms per query). Coverage
   * scoring still sees every concept of the question.
   */
  commonTermShare: number;
  minTerms: number;
  /** Text score multiplier for a passage whose document never mentions a place the question names. */
  offPlaceFactor: number;
  /**
   * Added for a passage under the unit the question names by number (第二十八条): it is what was
   * asked for, so it ranks above any passage that merely shares words with the question.
   */
  clauseBonus: number;
  /**
   * Text score multiplier for a cover letter (现将《…》印发给你们，请认真贯彻执行) or a list of
   * attachments: it repeats the title, so it shares every topic word of a question about the
   * document, and answers none of them but who issued it and when.
   */
  coverLetterFactor: number;
  /**
   * Weight, in coverage, of a question word the passage's document title names: every passage of
   * the document covers it, so it tells them apart not at all, while the words it does not name
   * (地球站 in a question about the 卫星直连 rules) decide which passage answers.
   */
  titleWordShare: number;
}

export const DEFAULT_SEARCH: SearchOptions = { topK: 10, candidates: 50, vectorWeight: 0.03, expansionWeight: 0.5, bigramWeight: 1, coverageWeight: 0.5, quotedBonus: 0.2, figureBonus: 0.1, labelBonus: 0.1, definitionBonus: 0.1, commonTermShare: 0.05, minTerms: 3, offPlaceFactor: 0.5, clauseBonus: 1, coverLetterFactor: 0.6, titleWordShare: 0.25 };



function selectSearchTerms(terms: string[], stats: TermStats, options: Pick<SearchOptions, 'commonTermShare' | 'minTerms'>): string[] {
  const limit = Math.max(50, stats.chunkCount * options.commonTermShare);
  const frequencies = new Map(terms.map((term) => [term, stats.df(term)]));
  const frequency = (term: string) => frequencies.get(term) ?? 0;
  const rare = terms.filter((term) => frequency(term) <= limit);
  const selected = rare.length >= options.minTerms ? rare : [...terms].sort((a, b) => frequency(a) - frequency(b)).slice(0, Math.max(options.minTerms, rare.length));
  // A term no chunk holds adds nothing to any score, but FTS5 would still look it up for every row.
  return selected.filter((term) => frequency(term) > 0);
}

/**
 * Whether a document names a place, remembered per document and place: the answer is a few bytes,
 * while a 1,000× corpus's texts would take hundreds of megabytes if kept, and a query's
 * candidates come from a hundred documents, too many to read again for every question.
 */
const REMEMBERED_PLACES = 200_000;

const placesNamed = new WeakMap<IndexHandle, LRUCache<string, boolean>>();

/** Whether a document's title, issuer or text names `place` (lower-case). */
/** `read` keeps the document's text, once read, for its other places. */
function documentNames(index: IndexHandle, document: DocumentRecord, place: string, read: { text?: string }): boolean {
  let known = placesNamed.get(index);
  if (!known) {
    known = new LRUCache({ max: REMEMBERED_PLACES });
    placesNamed.set(index, known);
  }
  const key = `${document.docId}\n${place}`;
  let names = known.get(key);
  if (names === undefined) {
    read.text ??= [document.title, document.issuer ?? '', ...index.chunks.ofDocument(document).map((chunk) => chunk.text)].join('\n').toLowerCase();
    names = read.text.includes(place);
    known.set(key, names);
  }
  return names;
}

/** How much of a document's opening says what it is about (巴中市恩阳区人民政府关于印发…). */
const OPENING_CHARS = 100;

const abouts = new WeakMap<IndexHandle, Map<string, { text: string; places: string[] }>>();

/**
 * What a document says it is about: its title, issuer and opening words, lower-cased, and the
 * places they name. A national document (国务院办公厅关于…) names none.
 */
function aboutDocument(index: IndexHandle, document: DocumentRecord): { text: string; places: string[] } {
  let known = abouts.get(index);
  if (!known) {
    known = new Map();
    abouts.set(index, known);
  }
  let about = known.get(document.docId);
  if (!about) {
    // The text's own opening: past the document-info chunk that ingest puts first, which only
    // repeats the title and issuer already read here.
    // Ingest puts at most one document-info chunk, first: the text opens in one of the first two.
    const body = index.chunks
      .openings({ firstChunk: document.firstChunk, chunkCount: Math.min(2, document.chunkCount) }, OPENING_CHARS)
      .find((chunk) => chunk.heading !== DOCUMENT_INFO_HEADING);
    const opening = body?.text.slice(0, OPENING_CHARS) ?? '';
    const text = `${document.title}\n${document.issuer ?? ''}\n${opening}`.toLowerCase();
    about = { text, places: placesNamedIn(text) };
    known.set(document.docId, about);
  }
  return about;
}

/**
 * The places a question is about that the index knows as places: a candidate place name
 * (query.ts) counts when some document says it is about it (安阳市政务服务条例 → 安阳). jieba's
 * `ns` tag alone is not trusted (it tags 上门来 a place).
 */
export function placesOf(query: AnalyzedQuery, abouts: string[]): string[] {
  const candidates = query.concepts.filter((concept) => concept.place).map((concept) => placeStem(concept.surface));
  return candidates.filter((place) => abouts.some((about) => about.includes(place)));
}

/**
 * Places the question names that no document is about, which the dictionary knows as divisions
 * (郑州, 江苏省, 北京): the question is about somewhere the documents are not. Only when it names
 * no place the documents are about (沧州开发区 … 北京现代: 沧州 decides).
 */
export function placesElsewhere(query: AnalyzedQuery, abouts: string[]): string[] {
  if (placesOf(query, abouts).length > 0) return [];
  return query.concepts.filter(isKnownDivision).map((concept) => placeStem(concept.surface));
}

/** Zones named like districts that are no division of their own (开发区, 自贸区, 社区). */
const ZONE = /(?:开发|新|园|城|市|景|社|片|辖|示范|自贸|保税|试验|实验|功能|产业|工业|高新|综合|老城|主城|郊)区$/;

/**
 * Districts and counties the question names that no document is about, though written as such
 * (鼓楼区 in 福州鼓楼区, which the dictionary does not list): a document that never names one is
 * about another part of the city, however well it covers the rest (长乐区's 补贴 are not 鼓楼区's).
 */
function districtsNamed(query: AnalyzedQuery, places: string[]): string[] {
  return query.concepts
    .filter((concept) => concept.place && /^[\u4e00-\u9fff]{2,}[区县旗]$/.test(concept.surface) && !ZONE.test(concept.surface))
    .map((concept) => concept.surface.slice(0, -1))
    .filter((stem) => !places.some((place) => place.includes(stem)));
}

/** A passage's text for coverage, with the places its document names (RetrievedChunk.places). */
export function withPlaces(text: string, places: string[] = []): string {
  return places.length === 0 ? text : `${text}\n${places.join(' ')}`;
}

/**
 * How a document hands itself on: a cover letter (现将…印发给你们，请认真贯彻执行) or a list of its
 * attachments and downloads (附件：1.…审核表.doc, 详见附件1, 原文下载：…pdf). The document-info card
 * ingest puts first is the same kind of passage.
 */
const COVER_LETTER = /印发给你们|现予印发|请认真贯彻(?:执行|落实)|请遵照执行|请结合实际.{0,12}(?:执行|实施)|原文下载|详见附件|\.(?:docx?|pdf|xlsx?|wps)(?![a-z])/i;

/** How policy text defines a term: 本规定所称“最多跑一次”，是指…… */
const DEFINES = /所称|是指/;

/** A passage defining the very term asked about outweighs one defining any term by this much. */
const DEFINED_TERM_FACTOR = 3;

const escaped = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How a passage defines a term the question names: 所称“最多跑一次”, or the term opening an item
 * (（一）终端设备，是指), not ending a longer one (直连卫星服务，是指 defines no 服务).
 */
function namedDefinition(query: AnalyzedQuery, concepts: WeightedConcept[]): RegExp | undefined {
  const terms = [...query.quoted, ...concepts.filter((concept) => !concept.generic && !concept.attributes).flatMap((concept) => concept.forms)].filter(Boolean).map(escaped);
  if (!query.definition || terms.length === 0) return undefined;
  const term = `(?:${terms.join('|')})`;
  return new RegExp(`所称“?${term}”?|(?:^|[）)\\s])“?${term}”?[，,]?是指`);
}

export async function hybridSearch(
  index: IndexHandle,
  embedder: IndexEmbedder,
  query: AnalyzedQuery,
  options: SearchOptions = DEFAULT_SEARCH,
  onVectorFailure: (error: unknown) => void = () => {},
): Promise<RetrievedChunk[]> {
  const own = new Set(tokenize(query.normalized));
  // Bigrams only from the user's own words: an expansion already names the formal term whole.
  const terms = selectSearchTerms([...new Set([...tokenize(query.expandedText), ...charBigrams(query.normalized)])], index.termStats, options);
  const keywordHits = index.keyword.search(
    terms.map((term) => ({ term, weight: own.has(term) || term.startsWith(BIGRAM_MARK) ? 1 : options.expansionWeight })),
    { section: 1.5, title: 0.5, text: 1, grams: options.bigramWeight },
    options.candidates,
  );

  const fused = new Map<number, { keyword: number; vector: number }>();
  const bestKeyword = keywordHits[0]?.score ?? 0;
  for (const hit of keywordHits) fused.set(hit.id, { keyword: bestKeyword > 0 ? hit.score / bestKeyword : 0, vector: 0 });

  const count = index.vectors.getCurrentCount();
  // An unreachable embedding service costs the vector side only: the keyword side still answers.
  const queryVector =
    options.vectorWeight > 0 && count > 0
      ? await embedder.embedQuery(query.expandedText).catch((error: unknown) => {
          onVectorFailure(error);
          return undefined;
        })
      : undefined;
  if (queryVector) {
    const { neighbors, distances } = index.vectors.searchKnn(queryVector, Math.min(options.candidates, count));
    neighbors.forEach((ordinal, rank) => {
      const similarity = 1 - (distances[rank] ?? 1);
      const entry = fused.get(ordinal) ?? { keyword: 0, vector: 0 };
      entry.vector = similarity;
      fused.set(ordinal, entry);
    });
  }

  // The unit a question names by number is a candidate whatever its words: 第28条 shares none with 第二十八条.
  const clauses = clauseChunks(index, query.clauses);
  for (const ordinal of clauses) if (!fused.has(ordinal)) fused.set(ordinal, { keyword: 0, vector: 0 });

  const bestVector = Math.max(0, ...[...fused.values()].map((entry) => entry.vector));
  const concepts = weighConcepts(query, index.termStats);
  const aboutTexts = [...index.documents.values()].map((document) => aboutDocument(index, document).text);
  const places = placesOf(query, aboutTexts);
  const elsewhere = placesElsewhere(query, aboutTexts);
  const districts = districtsNamed(query, places);
  // Places for certain: those some document is about, and divisions the dictionary knows.
  const namedPlaces = query.concepts.filter((concept) => concept.place && (isKnownDivision(concept) || places.includes(placeStem(concept.surface))));
  // Who issued a document, when and under which 文号 is in its cover letter and card; nothing else asked is.
  const coverLetterAside = !query.asks.some((attribute) => attribute === 'date' || attribute === 'day' || attribute === 'department' || attribute === 'issuer') && !/文号|印发|发文/.test(query.normalized);
  const definedTerm = namedDefinition(query, concepts);
  const placesInDocument = new Map<string, string[]>();
  const conceptsInDocument = new Map<string, WeightedConcept[]>();
  // Places and years keep their weight: they say which document, not which of its passages.
  const titleWord = (concept: WeightedConcept, title: string) => !concept.attributes && !concept.specific && !concept.place && conceptCovered(concept, title);
  const results: RetrievedChunk[] = [];
  for (const [ordinal, entry] of fused) {
    const chunk = index.chunks.get(ordinal);
    const document = chunk && index.documents.get(chunk.docId);
    if (!chunk || !document) continue;
    const vectorPart = bestVector > 0 ? entry.vector / bestVector : 0;
    const read: { text?: string } = {};
    // A passage is about the places its document names, though it may not repeat them.
    let inDocument = placesInDocument.get(document.docId);
    if (!inDocument) {
      inDocument = namedPlaces.filter((place) => documentNames(index, document, placeStem(place.surface), read)).map((place) => place.surface);
      placesInDocument.set(document.docId, inDocument);
    }
    const text = passageText(document, chunk);
    let weighed = conceptsInDocument.get(document.docId);
    if (!weighed) {
      const title = document.title.toLowerCase();
      weighed = concepts.map((concept) => (titleWord(concept, title) ? { ...concept, weight: concept.weight * options.titleWordShare } : concept));
      conceptsInDocument.set(document.docId, weighed);
    }
    const glosses = glossesOf(index, document, chunk.text);
    const coverage = coverageOf(weighed, withGlosses(withPlaces(text, inDocument), glosses));
    // The passage itself must name the quoted term: the title names it for every passage of its document.
    const body = chunk.text.toLowerCase();
    const quoted = query.quoted.some((term) => body.includes(term)) ? options.quotedBonus : 0;
    const figure = query.asks.some((attribute) => holdsAttribute(attribute, text)) ? options.figureBonus : 0;
    const section = chunk.headings.at(-1) ?? '';
    const labelled = query.asks.some((attribute) => labelledWith(attribute, section)) ? options.labelBonus : 0;
    const definition = query.definition && DEFINES.test(body) ? options.definitionBonus * (definedTerm?.test(body) ? DEFINED_TERM_FACTOR : 1) : 0;
    // A document about another place does not answer for this one: 安阳's rules are not 郑州's.
    const about = elsewhere.length > 0 ? aboutDocument(index, document).places : [];
    const offPlace =
      places.some((place) => !documentNames(index, document, place, read)) ||
      (about.length > 0 && !elsewhere.some((place) => about.includes(place))) ||
      districts.some((district) => !documentNames(index, document, district, read));
    // A unit of a document about another place (恩阳's item 16 for 江西清单第16项) is not the unit asked.
    const clause = clauses.has(ordinal) && !offPlace;
    const textPart =
      ((1 - options.coverageWeight) * entry.keyword + options.coverageWeight * coverage + quoted + figure + labelled + definition + (clause ? options.clauseBonus : 0)) *
      (offPlace ? options.offPlaceFactor : 1) *
      (coverLetterAside && (COVER_LETTER.test(body) || chunk.headings[0] === DOCUMENT_INFO_HEADING) ? options.coverLetterFactor : 1);
    results.push({
      ordinal,
      chunk,
      document,
      score: (1 - options.vectorWeight) * textPart + options.vectorWeight * vectorPart,
      keywordScore: entry.keyword,
      vectorSimilarity: entry.vector,
      ...(offPlace ? { offPlace } : {}),
      ...(inDocument.length > 0 ? { places: inDocument } : {}),
      ...(clause ? { clause } : {}),
      ...(glosses.length > 0 ? { glosses } : {}),
    });
  }
  results.sort((a, b) => b.score - a.score || a.ordinal - b.ordinal);
  // One chunk per passage: copies of a passage in other districts' documents add nothing to cite.
  const passages = new Set<number | undefined>();
  const distinct = results.filter((hit) => {
    const passage = index.keyword.passageOf(hit.ordinal);
    if (passages.has(passage)) return false;
    passages.add(passage);
    return true;
  });
  const top = readUnitsInOrder(distinct).slice(0, options.topK);
  const present = new Set(top.map((hit) => hit.ordinal));
  const items = listItemsOf(index, top.slice(0, LIST_PARENTS), present);
  return [...top, ...items, ...labelDefinitionsOf(index, top.slice(0, LIST_PARENTS), concepts, present)];
}

/**
 * Where the best passages' labels are defined, when a definition names something the question
 * asks about (全日制本科 → 5 型保障对象：全日制本科学历毕业生): appended like list items, so that an
 * answer quoting the amount of 5 型保障对象 can quote who that is.
 */
function labelDefinitionsOf(index: IndexHandle, hits: RetrievedChunk[], concepts: WeightedConcept[], present: Set<number>): RetrievedChunk[] {
  const definitions: RetrievedChunk[] = [];
  for (const hit of hits) {
    for (const gloss of bestGlosses(hit.glosses ?? [], concepts, hit.chunk.text.toLowerCase())) {
      if (present.has(gloss.ordinal)) continue;
      const chunk = index.chunks.get(gloss.ordinal);
      if (!chunk) continue;
      present.add(gloss.ordinal);
      definitions.push({ ordinal: gloss.ordinal, chunk, document: hit.document, score: 0, keywordScore: 0, vectorSimilarity: 0 });
    }
  }
  return definitions;
}

/** How many of the best passages may bring the items of a list they introduce. */
const LIST_PARENTS = 3;
const MAX_LIST_ITEMS = 8;

/**
 * The items of a list a passage introduces and ends with (下列证明事项应当取消：), which ingest made
 * passages of their own under it ((一)…, (二)…): appended after the ranked passages, so that an
 * answer quoting the intro can give the whole list, not only the items that happened to rank.
 */
function listItemsOf(index: IndexHandle, parents: RetrievedChunk[], present: Set<number>): RetrievedChunk[] {
  const items: RetrievedChunk[] = [];
  for (const parent of parents) {
    if (!/[：:]\s*$/.test(parent.chunk.text)) continue;
    const path = parent.chunk.headings;
    for (let ordinal = parent.ordinal + 1; ordinal <= parent.ordinal + MAX_LIST_ITEMS; ordinal++) {
      const chunk = index.chunks.get(ordinal);
      const under = chunk?.docId === parent.chunk.docId && chunk.headings.length > path.length && path.every((heading, at) => chunk.headings[at] === heading);
      if (!chunk || !under) break;
      if (present.has(ordinal)) continue;
      present.add(ordinal);
      items.push({ ordinal, chunk, document: parent.document, score: 0, keywordScore: 0, vectorSimilarity: 0 });
    }
  }
  return items;
}

/**
 * The passages of a unit named by number come in the document's reading order (第三章 from its
 * first article on), their documents in the order of their best passage.
 */
function readUnitsInOrder(ranked: RetrievedChunk[]): RetrievedChunk[] {
  const units = ranked.filter((hit) => hit.clause);
  if (units.length === 0) return ranked;
  const documents = [...new Set(units.map((hit) => hit.document.docId))];
  units.sort((a, b) => documents.indexOf(a.document.docId) - documents.indexOf(b.document.docId) || a.ordinal - b.ordinal);
  return [...units, ...ranked.filter((hit) => !hit.clause)];
}
