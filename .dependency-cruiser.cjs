/**
 * The house rules, checked on every `npm test`: data flows one way (core ← ingest ← bot; inside
 * bot: retrieval ← answer ← qa ← chat/eval ← cli/main), no import cycles, and a folder is entered
 * only through its index.ts. A file may import its own folder's files and files of the folders
 * above it (a subfolder is part of its parent's implementation).
 */
const SOURCE = '^(bot|core|ingest)/';
const INDEX = '(^|/)index\\.ts$';

/** Folder entry through index.ts, for an importer `depth` folders deep. */
function throughIndex(depth) {
  const groups = Array.from({ length: depth }, () => '([^/]+)').join('/');
  const ownAndAbove = Array.from({ length: depth }, (_, index) => {
    const dir = Array.from({ length: depth - index }, (_, part) => `$${part + 1}`).join('/');
    return `^${dir}/[^/]+$`;
  });
  return {
    name: `enter-folders-through-index-${depth}`,
    comment: 'Import another folder only through its index.ts, its public surface.',
    severity: 'error',
    from: { path: `^${groups}/[^/]+$` },
    to: { path: SOURCE, pathNot: [INDEX, ...ownAndAbove] },
  };
}

/** `from` may not import any of `to`. */
function layer(name, from, to) {
  return { name, comment: `${from} sits below ${to}: data flows the other way.`, severity: 'error', from: { path: `^${from}` }, to: { path: `^(${to})` } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Import cycles make load order matter and modules impossible to read alone.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    throughIndex(1),
    throughIndex(2),
    throughIndex(3),
    throughIndex(4),
    throughIndex(5),
    layer('core-is-the-base', 'core/', 'ingest/|bot/'),
    layer('ingest-below-bot', 'ingest/', 'bot/'),
    layer('retrieval-below-answering', 'bot/retrieval/', 'bot/(answer|qa|chat|eval|cli)/|bot/main'),
    layer('answer-below-qa', 'bot/answer/', 'bot/(qa|chat|eval|cli)/|bot/main'),
    layer('qa-below-its-users', 'bot/qa/', 'bot/(chat|eval|cli)/|bot/main'),
    layer('eval-below-cli', 'bot/eval/', 'bot/(chat|cli)/|bot/main'),
    layer('chat-below-entry-points', 'bot/chat/', 'bot/(eval|cli)/|bot/main'),
    layer('source-never-imports-tests', '(bot|core|ingest)/', 'tests/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
