// The incremental CSV tokenizer and the dialect: records as RFC 4180 defines them whatever the
// chunking, round trips of seeded random tables through a quoting writer, sniffed delimiters and
// decimal marks, and the table reader's header rule.
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, parseTable, resolveDialect, sniffDelimiter } from '../../src/data/index.js';
import { parseNumber } from '../../src/data/dialect.js';

function tokenize(chunks: string[], delimiter = ','): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const t = new CsvTokenizer(delimiter, (cells, line) => { out.push({ cells: cells.slice(), line }); });
  for (const c of chunks) t.push(c);
  t.end();
  return out;
}

const TRICKY = '\uFEFFname,"note, with comma",n\r\n"Smith, J.","say ""hi""",1\n\nplain,"two\nlines",2\r\n"",x,\n  \nlast,"end"   ,3';
const EXPECTED = [
  { cells: ['name', 'note, with comma', 'n'], line: 1 },
  { cells: ['Smith, J.', 'say "hi"', '1'], line: 2 },
  { cells: ['plain', 'two\nlines', '2'], line: 4 },
  { cells: ['', 'x', ''], line: 6 },
  { cells: ['last', 'end', '3'], line: 8 },
];

describe('CsvTokenizer', () => {
  it('reads quoted delimiters, escaped quotes, line breaks in quotes, CRLF, blank lines and a BOM', () => {
    expect(tokenize([TRICKY])).toEqual(EXPECTED);
  });

  it('keeps a row of empty cells under a tab or space delimiter (found by test/fuzz/csv: it was skipped as a blank line)', () => {
    // the line "\t" is two empty cells, as "," is under a comma; only a line without the delimiter is blank
    expect(tokenize(['a\tb\n\t\n1\t2\n'], '\t').map((r) => r.cells)).toEqual([['a', 'b'], ['', ''], ['1', '2']]);
    expect(tokenize(['a b\n \n \t\n1 2\n'], ' ').map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(tokenize(['a,b\n\t \n1,2\n']).map((r) => r.line)).toEqual([1, 3]);
    const t = parseTable('a\tb\n1\t2\n\t\n3\t4\n', { header: true, delimiter: '\t' });
    expect(t.rows).toBe(3);
    expect(t.columns[0]).toEqual(['1', '', '3']);
  });

  it('reads a bare CR as cell text whether or not the line holds a quote (found by test/fuzz/csv: a quote on the line made it a record end, and the lines after it were misnumbered)', () => {
    const plain = tokenize(['a,b\rc,d\nx,y\r\r\n1,2\n']);
    expect(plain).toEqual([{ cells: ['a', 'b\rc', 'd'], line: 1 }, { cells: ['x', 'y\r'], line: 2 }, { cells: ['1', '2'], line: 3 }]);
    expect(tokenize(['"a",b\rc,d\n"x",y\r\r\n1,2\n'])).toEqual(plain);
    expect(tokenize(['a,"b"\rc,d\nx,"y"\r\r\n"1",2\n'])).toEqual(plain);
    // a CR at a chunk's end waits for the next chunk to know whether an LF follows
    expect(tokenize(['"a",b\r', 'c,d\n"x",y\r', '\r', '\n1,2\n'])).toEqual(plain);
  });

  it('gives the same records for every split of the text into two chunks, and for one character at a time', () => {
    for (let k = 0; k <= TRICKY.length; k++) expect(tokenize([TRICKY.slice(0, k), TRICKY.slice(k)])).toEqual(EXPECTED);
    expect(tokenize([...TRICKY])).toEqual(EXPECTED);
  });

  it('round-trips seeded random tables written with RFC 4180 quoting, in random chunks', () => {
    let s = 7;
    const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
    const alphabet = ['a', 'b', ',', ';', '"', '\n', '\r\n', ' ', '1', '.', 'é'];
    for (let trial = 0; trial < 30; trial++) {
      const delim = trial % 3 === 0 ? ';' : ',';
      const width = 1 + Math.floor(rnd() * 5);
      const rows = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => Array.from({ length: width }, () => Array.from({ length: Math.floor(rnd() * 6) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('')));
      // a one-column row of an empty cell would be a blank line; give it content
      for (const r of rows) if (width === 1 && r[0] === '') r[0] = 'z';
      const quote = (c: string) => (/[",;\r\n]/.test(c) || c.trim() !== c ? `"${c.replace(/"/g, '""')}"` : c);
      const text = rows.map((r) => r.map(quote).join(delim)).join(rnd() < 0.5 ? '\n' : '\r\n') + (rnd() < 0.5 ? '\n' : '');
      const chunks: string[] = [];
      for (let i = 0; i < text.length;) { const n = 1 + Math.floor(rnd() * 9); chunks.push(text.slice(i, i + n)); i += n; }
      expect(tokenize(chunks, delim).map((r) => r.cells)).toEqual(rows);
    }
  });

  it('skips records without splitting them when keep() says so, counting lines all the same', () => {
    const got: [string[], number, number][] = [];
    const t = new CsvTokenizer(',', (cells, line, record) => { got.push([cells, line, record]); }, { keep: (r) => r % 2 === 0 });
    t.push('a,b\n1,2\n"x\ny",3\n4,5\n');
    t.end();
    expect(got).toEqual([[['a', 'b'], 1, 0], [['x\ny', '3'], 3, 2]]);
    expect(t.recordCount).toBe(4);
  });

  it('names the line and column of an unclosed quote and of text after a closing quote', () => {
    expect(() => tokenize(['a,b\n1,"open\n2,3\n'])).toThrow(/line 2, column 2: quoted field never closed/);
    expect(() => tokenize(['a,b\n"q"x,1\n'])).toThrow(/line 2, column 1: unexpected "x" after a closing quote/);
  });
});

describe('dialect', () => {
  it('sniffs comma, semicolon, tab and pipe from consistent counts outside quotes', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1,5;2;3\n')).toBe(';');
    expect(sniffDelimiter('a\tb\n"x,y"\t2\n')).toBe('\t');
    expect(sniffDelimiter('a|b\n1|2\n')).toBe('|');
    expect(sniffDelimiter('"a;b",c\n"1;2",3\n')).toBe(',');
  });

  it('reads a decimal comma where the delimiter is not a comma, and only there', () => {
    expect(resolveDialect('x;y\n3,14;2\n').decimal).toBe(',');
    expect(resolveDialect('x;y\n3.14;2\n').decimal).toBe('.');
    expect(resolveDialect('x,y\n3,14\n').decimal).toBe('.');
    expect(parseNumber('3,14', ',')).toBeCloseTo(3.14, 12);
    expect(parseNumber('-1,5e3', ',')).toBe(-1500);
    for (const bad of ['0x10', 'Infinity', '1,000.5', '', '1e', '--1']) expect(Number.isNaN(parseNumber(bad, '.'))).toBe(true);
    expect(() => resolveDialect('a', { delimiter: ',', decimal: ',' })).toThrow(/the same character as the delimiter/);
  });

  it('parses a semicolon table with decimal commas and NA spellings into the same cells as its comma twin', () => {
    const comma = parseTable('x,y,z\n1.5,a,NA\n2.25,N/A,?\n,b,null\n');
    const semi = parseTable('x;y;z\n1,5;a;NA\n2,25;N/A;?\n;b;null\n');
    expect(semi.dialect).toMatchObject({ delimiter: ';', decimal: ',' });
    expect(semi.names).toEqual(comma.names);
    expect(semi.columns[1]).toEqual(comma.columns[1]);
    expect(semi.columns[0]!.map((c) => parseNumber(c, ','))).toEqual(comma.columns[0]!.map((c) => parseNumber(c, '.')));
    for (const cell of [...semi.columns[2]!, semi.columns[1]![1]!, semi.columns[0]![2]!]) expect(semi.dialect.naValues).toContain(cell);
  });

  it('takes a first row of distinct text over text columns for a header, and names duplicate headers', () => {
    expect(parseTable('color,size\nred,big\nblue,small\n').hasHeader).toBe(true);
    expect(parseTable('red,big\nred,small\n').hasHeader).toBe(false);
    const dup = parseTable('a,b,a,a.1,a\n1,2,3,4,5\n', { source: 'd.csv' });
    expect(dup.names).toEqual(['a', 'b', 'a.2', 'a.1', 'a.3']);
    expect(dup.notes).toEqual([
      'the header names column "a" twice (columns 1 and 3): column 3 is read as "a.2"',
      'the header names column "a" twice (columns 1 and 5): column 5 is read as "a.3"',
    ]);
    expect(parseTable('"",b\n1,2\n').names).toEqual(['column_1', 'b']);
  });
});
