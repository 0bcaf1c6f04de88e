/** Where things are, from anywhere in tests/: the repository, the bundled and held-out documents, the eval sets. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The bundled policy documents (`knowledge/`). */
export const KNOWLEDGE_DIR = path.join(REPO_ROOT, 'knowledge');
/** Held-out documents the system was never tuned on (`tests/fixtures/unseen/`). */
export const UNSEEN_DIR = path.join(REPO_ROOT, 'tests/fixtures/unseen');
/** The dev half of the real documents as collected (`tests/fixtures/dev-corpus/dev/`). */
export const DEV_CORPUS_DIR = path.join(REPO_ROOT, 'tests/fixtures/dev-corpus/dev');
/** Sample files for the loaders (`tests/fixtures/ingest/`). */
export const INGEST_FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/ingest');
/** The eval question sets (`tests/eval/`). */
export const EVAL_DIR = path.join(REPO_ROOT, 'tests/eval');
