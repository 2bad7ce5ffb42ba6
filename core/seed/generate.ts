/** Loads the reference demo data and bundled prices and runs the demo-book generator. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readBundledPrices, readBundledRates, readBundledSymbols, toSeries } from '../market-data/bundled-files.ts';
import { generateDemoBook } from './demo-book.ts';
import { ReferenceDemoDataSchema } from './demo-book-types.ts';
import type { DemoBook } from './demo-book-types.ts';

export const REFERENCE_DEMO_DATA = fileURLToPath(new URL('../../db/seed/reference/demo-data.json', import.meta.url));
export const DEMO_BOOK_FILE = fileURLToPath(new URL('../../db/seed/demo-book.json', import.meta.url));

export function generateDemoBookFromFiles(): DemoBook {
  const data = ReferenceDemoDataSchema.parse(JSON.parse(readFileSync(REFERENCE_DEMO_DATA, 'utf8')));
  const prices = toSeries(readBundledPrices());
  const rates = toSeries(readBundledRates().map((r) => ({ symbol: r.series, date: r.date, close: r.yieldPct })));
  return generateDemoBook(data, { prices, rates }, readBundledSymbols());
}
