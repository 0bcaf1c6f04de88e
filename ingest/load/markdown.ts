/** @module Markdown (.md), as collected by crawlers. */
import { loadPlain } from './plain.ts';
import type { Loader } from './types.ts';

export const loadMarkdown: Loader = (buffer, fileName) => loadPlain(buffer, fileName);
