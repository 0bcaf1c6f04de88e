/**
 * `npm run ingest -- [--knowledge DIR] [--index DIR] [--json]`: builds or updates the index.
 * Exit code 0 on success (also when some documents failed but others were usable), 1 when
 * nothing usable was found or the configuration is wrong; the live index is then untouched.
 * With DATABASE_URL it waits for, and holds, the ingest lock the bot's replicas share.
 */
import 'dotenv/config';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../core/embeddings/index.ts';
import { describeError, isAppError, loadConfig, withSharedIngestLock } from '../core/index.ts';
import { createProgressReporter, formatIngestSummary, ingestKnowledge, ingestProblemLines } from './index.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      knowledge: { type: 'string' },
      index: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('用法：npm run ingest -- [--knowledge 目录] [--index 目录] [--json]');
    return;
  }
  const config = loadConfig();
  const embedder = await createEmbedder(config);
  const reporter = values.json ? undefined : createProgressReporter();
  try {
    const ingest = () =>
      ingestKnowledge({
        knowledgeDir: values.knowledge ? path.resolve(values.knowledge) : config.KNOWLEDGE_DIR,
        indexDir: values.index ? path.resolve(values.index) : config.INDEX_DIR,
        embedder,
        maxFileBytes: config.maxFileBytes,
        ...(reporter ? { onProgress: reporter.onProgress } : {}),
      });
    const summary = config.DATABASE_URL
      ? await withSharedIngestLock(config.DATABASE_URL, ingest, () => console.error('机器人的某个副本正在导入（数据库中的导入锁被占用），等待其完成……'))
      : await ingest();
    reporter?.stop();
    if (values.json) {
      const { version, documents, embedded, reused, ms } = summary;
      const plain = documents.map(({ errorCode: _code, ...document }) => document);
      console.log(JSON.stringify({ version, documents: plain, embedded, reused, ms }));
    } else {
      console.log(formatIngestSummary(summary));
    }
  } catch (error) {
    reporter?.stop();
    if (values.json && isAppError(error)) {
      console.log(JSON.stringify({ error: error.message, code: error.code, documents: error.context?.['documents'] ?? [] }));
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`导入失败：${describeError(error)}`);
  for (const line of ingestProblemLines(error)) console.error(line);
  process.exitCode = 1;
});
