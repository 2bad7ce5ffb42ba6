import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv, stripBom } from '../../../core/imports/csv.ts';

describe('detectDelimiter', () => {
  it('takes the delimiter that occurs most on the header line, outside quotes', () => {
    expect(detectDelimiter('symbol,quantity,entry_price\nAAPL,1,2')).toBe(',');
    expect(detectDelimiter('symbol;quantity;entry_price\nAAPL;1;2,5')).toBe(';');
    expect(detectDelimiter('symbol\tquantity\tnotes\nAAPL\t1\ta, b; c')).toBe('\t');
    // Commas inside a quoted header cell do not count.
    expect(detectDelimiter('"a,b,c";"d";"e"\n')).toBe(';');
  });

  it('passes over a title line that is one quoted cell (Schwab before 2024)', () => {
    expect(detectDelimiter('"Positions for account X as of 09:13 PM ET, 02/04/2023"\n\n"Symbol";"Description";"Quantity"')).toBe(';');
  });

  it('falls back to a comma for a single column and after a BOM', () => {
    expect(detectDelimiter('symbol\nAAPL')).toBe(',');
    expect(detectDelimiter('\uFEFFa;b')).toBe(';');
  });
});

describe('readCsv', () => {
  it('strips a UTF-8 BOM', () => {
    expect(stripBom('\uFEFFsymbol')).toBe('symbol');
    expect(readCsv('\uFEFFsymbol,quantity\nAAPL,1').records[0]!.cells).toEqual(['symbol', 'quantity']);
  });

  it('parses RFC 4180 quoting: embedded delimiters, doubled quotes, line breaks inside quotes', () => {
    const t = readCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n');
    expect(t.records[1]!.cells).toEqual(['x, y', 'say "hi"', 'two\nlines']);
    expect(t.problems).toEqual([]);
  });

  it('keeps each record’s 1-based starting line across CRLF, LF, CR, blank lines and multi-line fields', () => {
    const t = readCsv('h1,h2\r\n\r\n"a\r\nb",1\r\nc,2\n\nd,3\re,4\n   ,  \nf,5');
    expect(t.records.map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'h1'],
      [3, 'a\nb'],
      [5, 'c'],
      [7, 'd'],
      [8, 'e'],
      [10, 'f'],
    ]);
  });

  it('trims whitespace around fields but keeps it inside quotes', () => {
    expect(readCsv('a , "  b  " ,c\n').records[0]!.cells).toEqual(['a', '  b  ', 'c']);
  });

  it('reads semicolon and tab files with the delimiter detected', () => {
    expect(readCsv('a;b\n"1,5";2').records[1]!.cells).toEqual(['1,5', '2']);
    expect(readCsv('a\tb\n1\t"x\ty"').records[1]!.cells).toEqual(['1', 'x\ty']);
  });

  it('reports an unclosed quote as a bad_csv problem on the line the field starts, keeping the rows before it', () => {
    const t = readCsv('a,b\n1,2\n\n3,"oops\n4,5\n');
    expect(t.records.map((r) => r.line)).toEqual([1, 2]);
    expect(t.problems).toHaveLength(1);
    expect(t.problems[0]).toMatchObject({ line: 4, column: null, code: 'bad_csv' });
    expect(t.problems[0]!.message).toContain('never closed');
  });

  it('accepts a stray quote inside an unquoted field rather than failing', () => {
    expect(readCsv('a,b\n5" screen,2\n').records[1]!.cells).toEqual(['5" screen', '2']);
  });
});
