/**
 * `dl-lifecycle scan --format junit`: well-formed XML (checked by a small XML 1.0 checker below,
 * which is itself tested on broken documents), one testsuite per file, one testcase per finding
 * or reference, failures at or above --fail-on, baselined findings skipped, text escaped.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { escapeXml } from '../../server/src/cli/junit';
import { workspace as tempWorkspace } from '../fixtures/workspace';
import { runCli as run } from './runCli';

const workspace = (files: Record<string, string>) => tempWorkspace(files, 'dl-lifecycle-junit-');
const AS_OF = ['--as-of', '2026-11-21'];

/** An element of a parsed document: name, attributes (unescaped), children and text (unescaped). */
interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Replaces the entity and character references of text or an attribute value; throws on a bare `&` or `<`. */
function unescape(text: string, where: number): string {
  if (text.includes('<')) throw new Error(`'<' in text or attribute value at ${where}`);
  return text.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated reference '${whole}' at ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref];
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown reference '&${ref};' at ${where}`);
    const c = String.fromCodePoint(m[1] ? parseInt(m[1], 16) : Number(m[2]));
    if (INVALID_CHAR.test(c)) throw new Error(`reference to a character XML does not allow at ${where}`);
    return c;
  });
}

/**
 * Parses the subset of XML 1.0 the report uses (declaration, elements, attributes, text,
 * references) and throws on anything not well-formed: a tag not closed or closed by another name,
 * an attribute twice or unquoted, a bare `&` or `<`, a character XML does not allow, text outside
 * the root element, a second root.
 */
function parseXml(xml: string): XmlElement {
  const bad = INVALID_CHAR.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)?.toString(16)} is not allowed in XML, at ${bad.index}`);
  let i = 0;
  const decl = /^<\?xml version="1\.0"( encoding="UTF-8")?\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (stack.length) stack[stack.length - 1].text += unescape(text, i);
    else if (text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    i = lt + 1;
    if (xml.startsWith('/', i)) {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      const open = stack.pop();
      if (!name || !open || open.name !== name || !/^\s*>/.test(xml.slice(i + 1 + name.length))) throw new Error(`closing tag '${name}' does not close '${open?.name}' at ${lt}`);
      i = xml.indexOf('>', i) + 1;
      continue;
    }
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`'<' not starting a tag at ${lt}`);
    if (!stack.length && root) throw new Error(`a second root element at ${lt}`);
    i += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const rest = xml.slice(i);
      const end = /^\s*(\/?)>/.exec(rest);
      if (end) {
        i += end[0].length;
        if (stack.length) stack[stack.length - 1].children.push(element);
        else root = element;
        if (!end[1]) stack.push(element);
        break;
      }
      const attr = /^\s+([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!attr) throw new Error(`malformed attribute or tag '${rest.slice(0, 20)}' at ${i}`);
      if (attr[1] in element.attributes) throw new Error(`attribute '${attr[1]}' twice at ${i}`);
      element.attributes[attr[1]] = unescape(attr[3] ?? attr[4], i);
      i += attr[0].length;
    }
  }
  if (stack.length) throw new Error(`'${stack[stack.length - 1].name}' not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const all = (e: XmlElement, name: string): XmlElement[] => [...(e.name === name ? [e] : []), ...e.children.flatMap((c) => all(c, name))];

describe('the XML checker of these tests', () => {
  it('accepts well-formed XML and rejects broken XML', () => {
    const ok = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; 2" y=\'&lt;\'><b/>t&#38;&#x3c;</a>\n');
    assert.deepEqual([ok.attributes, ok.children.map((c) => c.name), ok.text], [{ x: '1 & 2', y: '<' }, ['b'], 't&<']);
    for (const broken of ['<a><b></a></b>', '<a>', '<a>x & y</a>', '<a x="<"/>', '<a x=1/>', '<a x="1" x="2"/>', '<a/><b/>', 'text<a/>', '<a>&nbsp;</a>', '<a>\u0001</a>', '<a>&#0;</a>', '< a/>']) {
      assert.throws(() => parseXml(broken), Error, broken);
    }
  });
});

describe('escapeXml', () => {
  it('escapes markup, quotes and line breaks, and replaces characters XML cannot hold', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
    assert.equal(escapeXml('x\ny\tz'), 'x&#10;y&#9;z');
    assert.equal(escapeXml('nul\u0000 esc\u001b lone\uD800 pair\uD83D\uDE00'), 'nul\uFFFD esc\uFFFD lone\uFFFD pair\uD83D\uDE00');
    const value = `]]> & <tag attr="v"> \u0007`;
    assert.equal(parseXml(`<a v="${escapeXml(value)}">${escapeXml(value)}</a>`).attributes.v, value.replace('\u0007', '\uFFFD'));
  });
});

describe('dl-lifecycle scan --format junit (built CLI)', () => {
  it('one testsuite per file, one testcase per finding or reference; failures at or above --fail-on', () => {
    const dir = workspace({
      'requirements.txt': 'numpy==1.26.4\ntorch==1.13.1\ntorch==2.11.0\n',
      'docker/Dockerfile': 'FROM 763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13.1-gpu-py39-cu117-ubuntu20.04-sagemaker\n',
      'empty/requirements.txt': 'numpy==1.26.4\n',
    });
    const json = JSON.parse(run(['scan', '--format', 'json', '--fail-on', 'never', ...AS_OF], dir).stdout) as { findings: Array<{ file: string; severity: string; rule: string }>; references: Array<{ file: string }> };
    const r = run(['scan', '--format', 'junit', '--fail-on', 'warning', ...AS_OF], dir);
    assert.equal(r.code, 1, r.stderr);
    const doc = parseXml(r.stdout);
    assert.equal(doc.name, 'testsuites');
    const suites = all(doc, 'testsuite');
    assert.deepEqual(suites.map((s) => s.attributes.name), ['docker/Dockerfile', 'requirements.txt'], 'files without references or findings have no suite');
    const atLeastWarning = json.findings.filter((f) => f.severity === 'warning' || f.severity === 'error');
    assert.ok(atLeastWarning.length >= 2);
    assert.equal(Number(doc.attributes.failures), atLeastWarning.length);
    assert.equal(all(doc, 'failure').length, atLeastWarning.length);
    for (const s of suites) {
      const cases = all(s, 'testcase');
      assert.equal(Number(s.attributes.tests), cases.length);
      assert.equal(Number(s.attributes.failures), all(s, 'failure').length);
      assert.ok(cases.every((c) => c.attributes.classname === s.attributes.name && c.attributes.file === s.attributes.name));
    }
    assert.equal(Number(doc.attributes.tests), suites.reduce((n, s) => n + Number(s.attributes.tests), 0));
    // requirements.txt: torch==1.13.1 fails (end of patch), torch==2.11.0 has no finding and passes as a reference
    const req = suites.find((s) => s.attributes.name === 'requirements.txt');
    assert.ok(req);
    const names = all(req, 'testcase').map((c) => c.attributes.name);
    assert.ok(names.includes('2:1 end-of-patch: torch==1.13.1'), names.join(' | '));
    assert.ok(names.includes('3:1 torch==2.11.0'), names.join(' | '));
    assert.equal(names.filter((n) => n.includes('torch==1.13.1')).length, json.findings.filter((f) => f.file === 'requirements.txt').length, 'the reference with findings has no extra testcase');
    const failure = all(req, 'failure')[0];
    assert.equal(failure.attributes.type, 'end-of-patch');
    assert.match(failure.attributes.message, /^PyTorch 1\.13 reached end of patch/);
    assert.match(failure.text, /^requirements\.txt:2:1: warning: PyTorch 1\.13 .*\(end-of-patch\)\nfix: Bump torch to /);

    // --fail-on never: no failures, findings pass with their message as output; exit 0
    const never = run(['scan', '--format', 'junit', '--fail-on', 'never', ...AS_OF], dir);
    assert.equal(never.code, 0);
    const quiet = parseXml(never.stdout);
    assert.equal(all(quiet, 'failure').length, 0);
    assert.equal(quiet.attributes.failures, '0');
    assert.equal(all(quiet, 'system-out').length, json.findings.length);
  });

  it('baselined findings that would fail are skipped', () => {
    const dir = workspace({ 'requirements.txt': 'torch==1.13.1\n' });
    assert.equal(run(['baseline', 'create', '--output', 'base.json', ...AS_OF], dir).code, 0);
    writeFileSync(path.join(dir, 'requirements.txt'), 'torch==1.13.1\ntensorflow==2.9.0\n');
    const r = run(['scan', 'requirements.txt', '--format', 'junit', '--fail-on', 'warning', '--baseline', 'base.json', ...AS_OF], dir);
    assert.equal(r.code, 1);
    const doc = parseXml(r.stdout);
    assert.deepEqual([doc.attributes.tests, doc.attributes.failures, doc.attributes.skipped], ['2', '1', '1']);
    const cases = all(doc, 'testcase');
    assert.deepEqual(cases.map((c) => [c.attributes.name, c.children.map((x) => x.name)]), [
      ['1:1 end-of-patch: torch==1.13.1', ['skipped']],
      ['2:1 end-of-patch: tensorflow==2.9.0', ['failure']],
    ]);
    assert.match(cases[0].children[0].attributes.message, /^baselined: PyTorch 1\.13/);
  });

  it('escapes file names with markup characters and replaces control characters', () => {
    const folder = `a&b <c> "d" 'e'\u0001`;
    const dir = workspace({ [`${folder}/requirements.txt`]: 'torch==1.13.1\n' });
    const r = run(['scan', '--format', 'junit', ...AS_OF], dir);
    assert.equal(r.code, 0, r.stderr);
    const doc = parseXml(r.stdout);
    assert.equal(all(doc, 'testsuite')[0].attributes.name, `a&b <c> "d" 'e'\uFFFD/requirements.txt`);
    assert.equal(all(doc, 'system-out').length, 1);
    assert.match(all(doc, 'system-out')[0].text, /^a&b <c> "d" 'e'\uFFFD\/requirements\.txt:1:1: warning: /);
  });

  it('an empty scan is an empty testsuites element', () => {
    const dir = workspace({ 'requirements.txt': 'numpy==1.26.4\n' });
    const doc = parseXml(run(['scan', '--format', 'junit', ...AS_OF], dir).stdout);
    assert.deepEqual([doc.name, doc.attributes.tests, doc.children.length], ['testsuites', '0', 0]);
  });
});
