/** @module Retrieval: question analysis, the live index, and hybrid (keyword + vector) search. */
export { conceptCovered, coverageOf, FIGURE, GENERIC_WEIGHT, passageText, weighConcepts, type WeightedConcept } from './concepts.ts';
export { IndexHolder, type IndexSource } from './index-holder.ts';
export { loadDefaultLexicon, type Lexicon } from './lexicon.ts';
export { analyzeQuery, ASKS_MONEY, ASKS_PERCENTAGE, type AnalyzedQuery } from './query.ts';
export { DEFAULT_SEARCH, hybridSearch, placesOf, type RetrievedChunk, type SearchOptions } from './search.ts';
