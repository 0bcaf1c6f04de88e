/** Fresh platform-shaped ids. */
import crypto from 'node:crypto';

export const hex = (bytes: number): string => crypto.randomBytes(bytes).toString('hex');
export const newMessageId = (): string => `om_${hex(16)}`;
export const newChatId = (): string => `oc_${hex(16)}`;
export const newOpenId = (): string => `ou_${hex(16)}`;
/** CardKit card ids are 19-digit numeric strings. */
export const newCardId = (): string => `7${String(crypto.randomInt(1e9)).padStart(9, '0')}${String(crypto.randomInt(1e9)).padStart(9, '0')}`;
