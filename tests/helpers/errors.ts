/** @module The `AppError` a promise rejects with; any other outcome fails the test. */
import { type AppError, isAppError } from '../../core/index.ts';

export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
