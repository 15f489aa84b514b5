/**
 * A strict RFC 4180 CSV reader for the data sets' label files. It takes text (never a path), so the
 * browser can use it on fetched files. Anything malformed is an {@link InvalidInputError} whose
 * message names the file and the 1-based line, and whose `details` carry `{ file, line }`.
 */
import { InvalidInputError } from '../errors.ts';

/** One data record and the physical line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** A parsed file: the header's column names and the data records. */
export interface CsvTable {
  /** The name used in error messages (usually the path relative to the data folder). */
  file: string;
  header: string[];
  records: CsvRecord[];
}

/** Builds the error every label-file problem raises: "<file> line <n>: <what>". */
export function csvError(file: string, line: number, what: string): InvalidInputError {
  return new InvalidInputError(`${file} line ${line}: ${what}`, { details: { file, line } });
}

/**
 * Parses CSV text: comma-separated, fields optionally in double quotes ("" escapes a quote; quoted
 * fields may hold commas and newlines), LF or CRLF line ends, an optional UTF-8 BOM, and blank lines
 * only at the end. Every record must have as many fields as the header; header names must be
 * non-empty and distinct.
 * @param text the file's contents.
 * @param file the file's name, used in error messages.
 * @throws InvalidInputError naming `file` and the line for: an empty file, an unterminated quote,
 *   text after a closing quote, a quote inside an unquoted field, a blank line before the end,
 *   a wrong field count, or an empty or duplicate column name.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const rows = splitRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const headerRow = rows[0];
  if (headerRow === undefined) throw csvError(file, 1, 'the file is empty (expected a header line)');
  const header = headerRow.fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') throw csvError(file, headerRow.line, `column ${i + 1} of the header has no name`);
    const first = seen.get(name);
    if (first !== undefined) throw csvError(file, headerRow.line, `column name "${name}" appears twice (columns ${first + 1} and ${i + 1})`);
    seen.set(name, i);
  });
  const records = rows.slice(1);
  for (const record of records) {
    if (record.fields.length !== header.length) {
      throw csvError(file, record.line, `${record.fields.length} fields, expected ${header.length} (${header.join(',')})`);
    }
  }
  return { file, header, records };
}

/** Splits text into records, tracking the physical line each one starts on. */
function splitRecords(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = 1;
  let pos = 0;
  const n = text.length;
  let blankLine: number | undefined;
  while (pos < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let atFieldStart = true;
    let ended = false;
    while (!ended) {
      if (pos >= n) {
        fields.push(field);
        break;
      }
      const c = text[pos];
      if (c === '"' && atFieldStart) {
        const quoteLine = line;
        pos++;
        for (;;) {
          if (pos >= n) throw csvError(file, quoteLine, 'a quoted field is never closed (missing ")');
          const q = text[pos];
          if (q === '"') {
            if (text[pos + 1] === '"') {
              field += '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          if (q === '\n') line++;
          field += q;
          pos++;
        }
        const after = text[pos];
        if (after !== undefined && after !== ',' && after !== '\n' && !(after === '\r' && text[pos + 1] === '\n')) {
          throw csvError(file, line, `unexpected ${JSON.stringify(after)} after a closing quote (expected , or end of line)`);
        }
        atFieldStart = false;
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        pos++;
        continue;
      }
      if (c === '\n' || (c === '\r' && text[pos + 1] === '\n')) {
        pos += c === '\r' ? 2 : 1;
        line++;
        fields.push(field);
        ended = true;
        continue;
      }
      if (c === '"') throw csvError(file, line, `a quote inside an unquoted field (after ${JSON.stringify(field)}); quote the whole field and double inner quotes`);
      if (c === '\r') throw csvError(file, line, 'a carriage return that is not part of a CRLF line end');
      field += c;
      atFieldStart = false;
      pos++;
    }
    if (fields.length === 1 && fields[0] === '') {
      // A blank line is tolerated only at the end of the file (trailing newlines are common).
      blankLine ??= start;
      continue;
    }
    if (blankLine !== undefined) throw csvError(file, blankLine, 'blank line before the end of the file');
    records.push({ fields, line: start });
  }
  return records;
}
