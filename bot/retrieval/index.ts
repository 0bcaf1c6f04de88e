/** @module Retrieval: question analysis, the live index, and hybrid (keyword + vector) search. */
export { holdsAttribute, isFigure, labelledWith, type AskedAttribute } from './attributes.ts';
export { conceptCovered, coverageOf, coverageShares, documentFacts, GENERIC_WEIGHT, passageText, weighConcepts, type WeightedConcept } from './concepts.ts';
export { ChunkReader } from './chunk-reader.ts';
export { IndexHolder, type IndexSource } from './index-holder.ts';
export { bestGlosses, definesLabel, usesLabel, withGlosses, type Gloss } from './labels.ts';
export { lexiconSchema, lexiconWithAdditions, loadDefaultLexicon, type Lexicon } from './lexicon.ts';
export { analyzeQuery, type AnalyzedQuery } from './query.ts';
export { DEFAULT_SEARCH, hybridSearch, placesElsewhere, placesOf, withPlaces, type RetrievedChunk, type SearchOptions } from './search.ts';
