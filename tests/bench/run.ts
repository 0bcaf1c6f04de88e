/**
 * `npm run bench -- [--copies N] [--repeats N] [--cpu-prof DIR] [--soak] [--soak-minutes N] [--only KEY,…]`: prints performance figures
 * (no pass/fail: the exit code is 0 whenever the bench ran). Progress goes to stderr; stdout
 * gets one table per section and, last, one JSON line `{"<section>": {...figures}, ...}`.
 *
 * Sections run in order in this process; to add one, export `bench<Name>()` returning plain
 * figures and a `<name>Rows()` that formats them, and list it in `SECTIONS`.
 *
 * The soak (./soak.ts, 10 minutes unless `--soak-minutes`) runs only when asked: `--soak`,
 * `--soak-minutes N`, or `--only soak`. `--only` runs just the named sections.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCore, coreRows, type BenchRow, type CoreBenchOptions } from './core.ts';
import { benchBot, botRows } from './bot.ts';
import { benchReplicas, replicasRows } from './replicas.ts';
import { benchSoak, soakRows } from './soak.ts';
import { peakRssMb } from './util.ts';

interface Section {
  key: string;
  title: string;
  run: () => Promise<Record<string, unknown>>;
  rows: (result: Record<string, unknown>) => BenchRow[];
}

function table(title: string, rows: BenchRow[]): string {
  const widths = [
    Math.max(6, ...rows.map((row) => row.metric.length)),
    // Long values (file lists) overflow instead of widening every row.
    Math.max(5, ...rows.map((row) => row.value.length).filter((length) => length <= 60)),
    Math.max(6, ...rows.map((row) => row.target?.length ?? 0)),
  ] as const;
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  const status = (row: BenchRow) => (row.met === undefined ? '' : row.met ? 'ok' : 'MISSED');
  return [
    `== ${title} ==`,
    line(['metric', 'value', 'target', '']),
    line(['-'.repeat(widths[0]), '-'.repeat(widths[1]), '-'.repeat(widths[2]), '']),
    ...rows.map((row) => line([row.metric, row.value, row.target ?? '', status(row)])),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      copies: { type: 'string' },
      repeats: { type: 'string' },
      'cpu-prof': { type: 'string' },
      soak: { type: 'boolean' },
      'soak-minutes': { type: 'string' },
      only: { type: 'string' },
    },
  });
  const log = (line: string) => console.error(line);
  const core: CoreBenchOptions = { log };
  if (values.copies) core.copies = Number(values.copies);
  if (values.repeats) core.repeats = Number(values.repeats);
  if (values['cpu-prof']) core.childNodeArgs = ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`];

  const sections: Section[] = [
    { key: 'core', title: 'Core: ingest, index, retrieval', run: () => benchCore(core), rows: coreRows },
    { key: 'bot', title: 'Chat bot: fake Lark platform, 200 chats', run: () => benchBot({ log }), rows: botRows },
    { key: 'replicas', title: 'Two replicas on one PostgreSQL: 200 chats, random delivery, redeliveries', run: () => benchReplicas({ log }), rows: replicasRows },
  ];

  const only = values.only?.split(',');
  if (values.soak || values['soak-minutes'] || only?.includes('soak')) {
    const minutes = values['soak-minutes'] ? Number(values['soak-minutes']) : undefined;
    sections.push({ key: 'soak', title: `Soak: ${minutes ?? 10} min, 200 chats, kill -9, re-ingest, redeliveries`, run: () => benchSoak({ log, ...(minutes ? { minutes } : {}) }), rows: soakRows });
  }

  const results: Record<string, unknown> = {};
  const output: string[] = [];
  for (const section of sections.filter((candidate) => !only || only.includes(candidate.key))) {
    log(`--- ${section.title} ---`);
    const result = await section.run();
    results[section.key] = result;
    output.push(table(section.title, section.rows(result)));
  }
  results['peakRssMb'] = peakRssMb();
  console.log(output.join('\n\n'));
  console.log(`\nprocess peak RSS: ${String(results['peakRssMb'])} MB (node ${process.version}, ${process.platform}/${process.arch})`);
  console.log(JSON.stringify({ node: process.version, ...results }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
