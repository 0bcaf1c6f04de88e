/**
 * Serves the well-behaved fake model on 127.0.0.1 for trying the generative path by hand,
 * offline: `npx tsx tests/helpers/serve-fake-model.ts [port]`, then in another shell
 * `LLM_BASE_URL=http://127.0.0.1:PORT/v1 LLM_MODEL=fake-model npm run eval -- --llm`
 * (or `npm run ask`, `npm start`). It answers with the passage-1 sentence closest to the
 * question, cited [1], streamed like a real model. Ctrl-C stops it.
 */
import { startFakeOpenAI } from '../fake-openai/index.ts';
import { wellBehaved } from './fake-model.ts';

const fake = await startFakeOpenAI({ chat: wellBehaved, port: Number(process.argv[2] ?? 0) });
console.log(`fake model: LLM_BASE_URL=${fake.baseUrl} LLM_MODEL=fake-model`);
process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
