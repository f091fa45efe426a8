// Helpers shared by the catalog derivation tools (tools/derive-*.mjs): failures, reading the
// source files, RFC 4180 CSV, and TOML value rendering. Plain Node ESM, no dependencies.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A source file that is missing, empty, malformed or no longer what the tool was written against. */
export class DeriveError extends Error {}

export function fail(message) {
  throw new DeriveError(message);
}

export function check(condition, message) {
  if (!condition) fail(message);
}

export function readText(dir, rel) {
  const file = path.join(dir, rel);
  check(fs.existsSync(file), `missing input file: ${rel}`);
  const text = fs.readFileSync(file, 'utf8');
  check(text.trim().length > 0, `empty input file: ${rel}`);
  return text;
}

export function parseCsv(text, rel) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
  }
  check(!quoted, `${rel}: unterminated quoted field`);
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  check(rows.length >= 2, `${rel}: no data rows`);
  const header = rows[0];
  return rows.slice(1).map((r, n) => {
    check(r.length === header.length, `${rel}: data row ${n + 1} has ${r.length} fields, header has ${header.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i]]));
  });
}

export function readCsv(dir, rel, requiredColumns) {
  const rows = parseCsv(readText(dir, rel), rel);
  for (const col of requiredColumns) check(col in rows[0], `${rel}: missing column ${col}`);
  return rows;
}

export function tomlString(s) {
  return '"' + String(s).replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '"') return '\\"';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
  }) + '"';
}

export function tomlValue(v) {
  if (Array.isArray(v)) return '[' + v.map(tomlValue).join(', ') + ']';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') return '{ ' + Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${k} = ${tomlValue(x)}`).join(', ') + ' }';
  return tomlString(v);
}

/** The `[catalog]` header table every data file starts with, as lines. */
export function catalogHeader(generated, dataAsOf) {
  return ['[catalog]', 'schema_version = 1', `generated = ${tomlString(generated)}`, `data_as_of = ${tomlString(dataAsOf)}`];
}
