/** @module Question answering on a worker thread, behind the `ChatQa` contract. */
export { WorkerChatQa } from './client.ts';
