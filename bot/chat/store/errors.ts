/** @module Store failures that name where the data lives and what the operator can do. */
import { AppError } from '../../../core/index.ts';
import type { Driver } from './driver.ts';

export function storeError(action: string, driver: Pick<Driver, 'dialect' | 'location' | 'advice'>, error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  const where = driver.dialect === 'sqlite' ? `机器人数据文件 ${driver.location}` : `机器人数据库（PostgreSQL）${driver.location}`;
  return new AppError('store_failed', `${action}${where} 失败（${reason}）：${driver.advice(error)}。`, { cause: error, context: { store: driver.location } });
}
