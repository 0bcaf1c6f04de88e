/** @module Plain text (.txt): decoded from UTF-8 or GB18030, as the bytes say. */
import { decodeText } from './decode.ts';
import type { Loader } from './types.ts';

export const loadPlain: Loader = async (buffer, fileName) => {
  const { text, encoding } = decodeText(buffer, fileName);
  return { text, format: encoding };
};
