/** @module Reading a document file into text: format by extension and content, encoding by sniffing. */
export { decodeText, sniffBinary } from './decode.ts';
export { extractText, isSupportedFile, SUPPORTED_EXTENSIONS } from './loaders.ts';
