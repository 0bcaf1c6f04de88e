/**
 * `npm run ask -- "问题" [--json] [--index DIR]`: answers one question from the local index,
 * offline. Builds the index first if there is none.
 */
import 'dotenv/config';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, loadConfig } from '../../core/index.ts';
import { formatAnswerText } from '../answer/index.ts';
import { createRuntime } from '../qa/index.ts';
import { askResultJson } from './json.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, index: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const question = positionals.join(' ').trim();
  if (values.help || question === '') {
    console.error('用法：npm run ask -- "开公司要跑几次？" [--json] [--index 目录]');
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = loadConfig();
  const runtime = await createRuntime(config, values.index ? { indexDir: path.resolve(values.index) } : {});
  const result = await runtime.qa.ask(question);
  console.log(values.json ? JSON.stringify(askResultJson(result), null, 2) : formatAnswerText(result.answer));
}

main().catch((error: unknown) => {
  console.error(`出错了：${describeError(error)}`);
  process.exitCode = 1;
});
