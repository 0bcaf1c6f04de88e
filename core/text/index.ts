/** @module Chinese text handling shared by ingest and retrieval: normalisation, sentences, words. */
export { suspectSentences } from './injection.ts';
export { matchKey, normalizeQuery } from './normalize.ts';
export { splitSentences, type SentenceSpan } from './sentences.ts';
export { BIGRAM_MARK, charBigrams, dictionaryWords, isAdministrativeDivision, isStopWord, tagWords, tokenize, type TaggedWord } from './tokenizer.ts';
