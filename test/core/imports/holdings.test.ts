import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  ImportTooLargeError,
  MAX_IMPORT_ROWS,
  ParsedHoldingsSchema,
  parseHoldingsFile,
} from '../../../core/imports/index.ts';

const HEADER = 'symbol,quantity,side,entry_price,entry_date,asset_type,underlying,strike,expiry,right,multiplier,tags,notes';

describe('detectFormat', () => {
  it('recognises each format by its header row', () => {
    expect(detectFormat(HEADER.split(','))).toBe('sigmasight');
    expect(detectFormat(['Symbol', 'Quantity', 'Entry Price'])).toBe('sigmasight');
    expect(detectFormat(['ClientAccountID', 'AssetClass', 'Symbol', 'Position', 'MarkPrice'])).toBe('ibkr_flex');
    expect(detectFormat(['Symbol', 'Description', 'Qty (Quantity)', 'Price', 'Security Type'])).toBe('schwab');
    expect(detectFormat(['Account number', 'Account name', 'Symbol', 'Description', 'Quantity', 'Last price', 'Cost basis total', 'Average cost basis', 'Type'])).toBe('fidelity');
  });

  it('answers null for headers it does not know', () => {
    expect(detectFormat(['Date', 'Amount'])).toBeNull();
    expect(detectFormat(['symbol', 'quantity'])).toBeNull(); // no entry price: not enough to import
    expect(detectFormat([])).toBeNull();
  });
});

describe('problems name their line, column and cause', () => {
  const text = [
    HEADER,
    'AAPL,10,long,190,2025-01-02,stock,,,,,,,',
    'MSFT,ten,long,400,2025-01-02,stock,,,,,,,', // line 3: bad number
    'NVDA,5,long,120,2025-02-30,stock,,,,,,,', // line 4: impossible date
    'GOOG,3,long,150,2025-01-02,stock,,,,,,,',
    ',2,long,3.5,2025-01-02,option,AAPL,150,,call,,,', // line 6: option without expiry
    'AMZN,4,long,180,2025-01-02,stock,,,,,,,',
  ].join('\n');
  const r = parseHoldingsFile(text);

  it('a file with 3 bad rows names exactly those 3 lines and their columns', () => {
    expect(r.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [3, 'quantity', 'bad_number'],
      [4, 'entry_date', 'bad_date'],
      [6, 'expiry', 'missing_field'],
    ]);
    expect(r.problems[0]!.message).toBe('quantity: "ten" is not a number: write it like 1234.56 or 1,234.56 (a comma may only group thousands)');
    expect(r.problems[1]!.message).toContain('"2025-02-30" is not a real calendar date');
    expect(r.problems[2]!.message).toContain('expiry is missing');
  });

  it('keeps the good rows for the preview and leaves the bad ones out', () => {
    expect(r.rows.map((x) => [x.line, x.position.symbol])).toEqual([
      [2, 'AAPL'],
      [5, 'GOOG'],
      [7, 'AMZN'],
    ]);
  });

  it('the result matches its zod schema (the contract the REST and MCP doors will expose)', () => {
    expect(ParsedHoldingsSchema.safeParse(r).success).toBe(true);
  });

  it('uses the header as written in the file, and whole-row problems carry no column', () => {
    const x = parseHoldingsFile('Ticker;Qty;Entry Price;Asset Type\nAAPL;0;190;stock\nBND;1;70;bond\n;1;2;');
    expect(x.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, 'Qty', 'bad_value'],
      [3, 'Asset Type', 'unsupported_asset'],
      [4, 'Ticker', 'missing_field'],
    ]);
  });

  it('flags options that cannot be pinned down as ambiguous', () => {
    const x = parseHoldingsFile(
      [HEADER, 'AAPL,1,long,2,,option,,,,,,,', 'AAPL250117C00150000,1,long,2,,option,AAPL,155,2025-01-17,call,,,', 'AAPL250117C00150000,1,long,2,,stock,,,,,,,', 'AAPL250117C150,1,long,2,,,,,,,,,'].join('\n'),
    );
    expect(x.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, 'symbol', 'ambiguous_option'],
      [3, 'symbol', 'ambiguous_option'],
      [4, 'asset_type', 'ambiguous_option'],
      [5, 'symbol', 'ambiguous_option'],
    ]);
    expect(x.rows).toEqual([]);
  });

  it('refuses contradictory direction and bad sides', () => {
    const x = parseHoldingsFile([HEADER, 'AAPL,-5,long,190,,,,,,,,,', 'MSFT,5,sideways,190,,,,,,,,,', 'TSLA,-5,short,190,,,,,,,,,'].join('\n'));
    expect(x.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, 'quantity', 'bad_value'],
      [3, 'side', 'bad_value'],
    ]);
    expect(x.rows.map((r) => [r.position.symbol, r.position.side, r.position.quantity])).toEqual([['TSLA', 'short', 5]]);
  });

  it('reports broker asset classes it cannot import', () => {
    const x = parseHoldingsFile('AssetClass,Symbol,Quantity,CostBasisPrice\nFUT,ESZ5,1,6000\nSTK,AAPL,10,190\nBOND,US912828,1000,99');
    expect(x.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [2, 'AssetClass', 'unsupported_asset'],
      [4, 'AssetClass', 'unsupported_asset'],
    ]);
    expect(x.problems[0]!.message).toContain('futures');
  });
});

describe('duplicates', () => {
  it('the same instrument and entry date twice is a problem on the later line, long or short; lots of other dates are not', () => {
    const r = parseHoldingsFile([HEADER, 'AAPL,10,long,190,,,,,,,,,', 'aapl,5,long,195,,,,,,,,,', 'AAPL,3,short,200,,,,,,,,,', 'AAPL  250117C00150000,1,long,2,,,,,,,,,', ',1,long,2,,option,AAPL,150,2025-01-17,C,,,'].join('\n'));
    expect(r.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [3, 'symbol', 'duplicate'],
      [4, 'symbol', 'duplicate'],
      [6, 'symbol', 'duplicate'],
    ]);
    expect(r.problems[0]!.message).toBe('AAPL without an entry date is already on line 2: combine the two rows into one position, or give each lot its own entry date');
    expect(r.rows.map((x) => x.line)).toEqual([2, 5]);
    const lots = parseHoldingsFile([HEADER, 'AAPL,10,long,190,2024-01-02,,,,,,,,', 'AAPL,5,long,195,2024-03-04,,,,,,,,', 'AAPL,3,short,200,2024-03-04,,,,,,,,'].join('\n'));
    expect(lots.rows.map((x) => x.line)).toEqual([2, 3]);
    expect(lots.problems.map((p) => [p.line, p.code, p.message])).toEqual([[4, 'duplicate', 'AAPL entered 2024-03-04 is already on line 3: combine the two rows into one position, or give each lot its own entry date']]);
  });

  it('the same holding in two IB accounts is a duplicate too', () => {
    const r = parseHoldingsFile('ClientAccountID,AssetClass,Symbol,Quantity,CostBasisPrice\nU1,STK,AAPL,10,190\nClientAccountID,AssetClass,Symbol,Quantity,CostBasisPrice\nU2,STK,AAPL,4,180\n');
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([[4, 'duplicate']]);
  });
});

describe('files that are not holdings', () => {
  it('an unknown header is one unknown_format problem naming what was found and what is expected', () => {
    const r = parseHoldingsFile('\n\nDate,Description,Amount\n2025-01-02,Coffee,-3.50\n');
    expect(r.format).toBeNull();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ line: 3, column: null, code: 'unknown_format' });
    expect(r.problems[0]!.message).toContain('"Date", "Description", "Amount"');
    expect(r.problems[0]!.message).toContain('symbol, quantity, side, entry_price');
  });

  it('an empty file, or one of blank lines, is an empty_file problem', () => {
    for (const t of ['', '\n\n', '\uFEFF', ' , ,\n']) expect(parseHoldingsFile(t).problems.map((p) => p.code)).toEqual(['empty_file']);
  });

  it('an unclosed quote after the header is a bad_csv problem alongside the rows read before it', () => {
    const r = parseHoldingsFile(`${HEADER}\nAAPL,1,long,190,,,,,,,,,\nMSFT,1,long,400,,,,,,,,,"unclosed note\n`);
    expect(r.rows.map((x) => x.position.symbol)).toEqual(['AAPL']);
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([[3, 'bad_csv']]);
  });

  it('a forced format that does not match the header is unknown_format', () => {
    expect(parseHoldingsFile(`${HEADER}\nAAPL,1,long,190,,,,,,,,,`, { format: 'schwab' }).problems.map((p) => p.code)).toEqual(['unknown_format']);
    expect(parseHoldingsFile(`${HEADER}\nAAPL,1,long,190,,,,,,,,,`, { format: 'sigmasight' }).format).toBe('sigmasight');
  });
});

describe('row limit', () => {
  const file = (n: number) => `symbol,quantity,entry_price\n${Array.from({ length: n }, (_, i) => `S${i},1,1`).join('\n')}\n`;

  it(`accepts ${MAX_IMPORT_ROWS} data rows`, () => {
    const r = parseHoldingsFile(file(MAX_IMPORT_ROWS));
    expect(r.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(r.problems).toEqual([]);
  });

  it(`throws ImportTooLargeError (413) for ${MAX_IMPORT_ROWS + 1}`, () => {
    let err: unknown;
    try {
      parseHoldingsFile(file(MAX_IMPORT_ROWS + 1));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportTooLargeError);
    expect(err).toMatchObject({ status: 413, code: 'IMPORT_TOO_LARGE', rows: MAX_IMPORT_ROWS + 1, limit: MAX_IMPORT_ROWS });
    expect((err as Error).message).toBe('the file has more than 10,000 data rows (found 10,001); split it into smaller files');
  });

  it('honours a smaller limit from the caller', () => {
    expect(() => parseHoldingsFile(file(3), { maxRows: 2 })).toThrow(ImportTooLargeError);
  });
});

describe('content hash', () => {
  const positions = [HEADER, 'AAPL,10,long,190,2025-01-02,stock,,,,,,core,', 'MSFT,-5,,400,,,,,,,,,'];

  it('is the same for the same holdings however the file is written', () => {
    const a = parseHoldingsFile(positions.join('\n'));
    const b = parseHoldingsFile(`\uFEFF${[HEADER.replaceAll(',', ';'), 'AAPL;10;long;190;01/02/2025;stock;;;;;;core;', '"MSFT";5;short;"400,00";;;;;;;;;'].join('\r\n')}\r\n`);
    const c = parseHoldingsFile([positions[0], positions[2], positions[1]].join('\n')); // rows reordered
    expect(a.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.content_hash).toBe(a.content_hash);
    expect(c.content_hash).toBe(a.content_hash);
  });

  it('changes when any position field changes', () => {
    const a = parseHoldingsFile(positions.join('\n')).content_hash;
    expect(parseHoldingsFile([positions[0], positions[1]!.replace('190', '190.01'), positions[2]].join('\n')).content_hash).not.toBe(a);
    expect(parseHoldingsFile([positions[0], positions[1]!.replace('core', 'tech'), positions[2]].join('\n')).content_hash).not.toBe(a);
  });
});
