/** Messages between the main thread and the question-answering worker. */
import type { ChatAnswer } from './chat-qa.ts';
import type { Turn } from './conversation.ts';

export type WorkerRequest =
  | { id: number; type: 'answer'; input: { question: string; history: Turn[] }; stream: boolean }
  | { id: number; type: 'refresh' };

export interface SerializedError {
  code: string;
  message: string;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; error: SerializedError }
  | { id: number; type: 'partial'; text: string }
  | { id: number; type: 'result'; value: ChatAnswer | undefined }
  | { id: number; type: 'error'; error: SerializedError };
