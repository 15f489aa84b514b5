import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/reproduce/csv.ts';
import { InvalidInputError } from '../../src/errors.ts';

/** Asserts that parsing fails with an InvalidInputError naming the file and the line. */
function assertCsvError(text: string, line: number, pattern: RegExp): void {
  assert.throws(() => parseCsv(text, 'dir/labels.csv'), (error: unknown) => {
    assert.ok(error instanceof InvalidInputError);
    assert.match(error.message, new RegExp(`^dir/labels\\.csv line ${line}: `));
    assert.match(error.message, pattern);
    assert.deepEqual(error.details, { file: 'dir/labels.csv', line });
    return true;
  });
}

describe('parseCsv', () => {
  it('reads plain, quoted and CRLF records with their line numbers', () => {
    const table = parseCsv('\ufeffa,b,c\r\n1,"x, y",3\r\n"multi\nline","say ""hi""",\n', 'f.csv');
    assert.deepEqual(table.header, ['a', 'b', 'c']);
    assert.deepEqual(table.records, [
      { fields: ['1', 'x, y', '3'], line: 2 },
      { fields: ['multi\nline', 'say "hi"', ''], line: 3 },
    ]);
  });

  it('accepts a file without a final newline and trailing blank lines', () => {
    assert.equal(parseCsv('a\n1', 'f').records.length, 1);
    assert.equal(parseCsv('a\n1\n\n\n', 'f').records.length, 1);
  });

  it('names the file and line of each kind of malformed input', () => {
    assertCsvError('', 1, /empty/);
    assertCsvError('a,b\n1,2\n3\n', 3, /1 fields, expected 2/);
    assertCsvError('a,b\n1,2\n3,4,5\n', 3, /3 fields, expected 2/);
    assertCsvError('a,b\n1,"2\n3,4\n', 2, /never closed/);
    assertCsvError('a,b\n"1"x,2\n', 2, /after a closing quote/);
    assertCsvError('a,b\n1,2"3\n', 2, /quote inside an unquoted field/);
    assertCsvError('a,b\n1,2\n\n3,4\n', 3, /blank line/);
    assertCsvError('a,,c\n', 1, /column 2 of the header has no name/);
    assertCsvError('a,b,a\n', 1, /appears twice/);
    assertCsvError('a,b\n"x\ny",2\n1\n', 4, /1 fields/);
  });
});
