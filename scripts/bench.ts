/**
 * `npm run bench [-- --only <substring>]`: runs every suite in scripts/bench/*.bench.ts and prints
 * time per unit and, where a reference ran in the same process tree, the ratio to it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import os from 'node:os';
import type { BenchRow, BenchSuite } from './bench/lib.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const dir = join(import.meta.dirname, 'bench');
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();

function fmtPerUnit(row: BenchRow): string {
  const ns = (row.medianMs * 1e6) / row.units;
  return ns < 1e3 ? `${ns.toFixed(1)} ns` : ns < 1e6 ? `${(ns / 1e3).toFixed(2)} µs` : `${(ns / 1e6).toFixed(2)} ms`;
}

console.log(`SigmaSight benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
let failed = 0;
for (const file of files) {
  if (values.only && !file.includes(values.only)) continue;
  const suite = (await import(join(dir, file))).default as BenchSuite;
  console.log(`\n## ${suite.name}`);
  try {
    for (const row of await suite.run()) {
      const ratio = row.referenceMs ? ` | ${row.referenceName}: ${row.referenceMs.toFixed(2)} ms → ratio ${(row.medianMs / row.referenceMs).toFixed(2)}×` : '';
      const extra = row.extra ? ' | ' + Object.entries(row.extra).map(([k, v]) => `${k} ${v}`).join(', ') : '';
      console.log(`- ${row.name}: ${row.medianMs.toFixed(2)} ms (${fmtPerUnit(row)} per ${row.unit})${ratio}${extra}`);
    }
  } catch (err) {
    failed++;
    console.error(`  suite failed: ${(err as Error).stack ?? err}${(err as Error).cause ? `\n  cause: ${String((err as Error).cause)}` : ""}`);
  }
}
process.exitCode = failed ? 1 : 0;
