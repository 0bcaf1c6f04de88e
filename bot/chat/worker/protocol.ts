/** Messages between the main thread and the question-answering worker. */
import type { SerializedError } from '../../../core/index.ts';
import type { ChatAnswer, ChatQuestion } from '../chat-qa.ts';

export type WorkerRequest = { id: number; type: 'answer'; input: ChatQuestion; stream: boolean } | { id: number; type: 'refresh' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { id: number; type: 'partial'; text: string }
  | { id: number; type: 'result'; value: ChatAnswer | undefined }
  | { id: number; type: 'error'; error: SerializedError };
