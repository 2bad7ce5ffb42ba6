/** `npm run demo-book [-- --check]`: regenerates db/seed/demo-book.json (or checks it is current). */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_BOOK_FILE, generateDemoBookFromFiles } from '../core/seed/generate.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const text = `${JSON.stringify(generateDemoBookFromFiles(), null, 2)}\n`;
if (values.check) {
  const current = readFileSync(DEMO_BOOK_FILE, 'utf8');
  if (current !== text) {
    console.error('db/seed/demo-book.json is out of date: run `npm run demo-book`');
    process.exit(1);
  }
  console.log('db/seed/demo-book.json is current');
} else {
  writeFileSync(DEMO_BOOK_FILE, text);
  console.log(`wrote ${DEMO_BOOK_FILE}`);
}
