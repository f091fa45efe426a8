import assert from 'node:assert/strict';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeText, escalatedSeverity } from '../../server/src/analysis';
import type { Range } from '../../server/src/model';
import { isExcluded, PolicyFinder } from '../../server/src/policy/find';
import type { LoadedPolicy } from '../../server/src/policy/find';
import { FRAMEWORK_IDS, IMAGE_PLACEHOLDER_NAMES, matchImage } from '../../server/src/policy/images';
import type { PolicyKind } from '../../server/src/policy/policyFile';
import { parsePolicy, POLICY_KEYS } from '../../server/src/policy/policyFile';
import { editorLayers, mergeLayers, policyLayer } from '../../server/src/policy/precedence';
import { closestName } from '../../server/src/policy/suggest';
import { DATED_RULE_IDS, RULE_IDS } from '../../server/src/rules/ruleIds';
import { fileKindById } from '../../server/src/scanners/fileKinds';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { TextIndex } from '../../server/src/text';
import { syntheticCatalog } from '../fixtures/catalog';
import { workspace } from '../fixtures/workspace';

const TODAY = '2025-12-15';

/** The example of catalog.md §Policy file. */
const GOOD = `as-of = "2027-01-31"          # optional fixed evaluation date
warning-window-days = 120
exclude = ["legacy/**", "**/third_party/**"]

[rules]
superseded-patch = "off"
end-of-patch = { severity = "warning", escalate-to = "error", after-days = 30 }

[[images]]                    # internal images built FROM a DLC: map them to what they contain
pattern = "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}"
framework = "pytorch"
`;

const GOOD_PYPROJECT = `[project]
name = "trainer"
dependencies = ["torch==2.3.1"]

[tool.ruff]
line-length = 100

[tool.dl-lifecycle]
as-of = 2027-01-31
warning-window-days = 120
exclude = ["legacy/**", "**/third_party/**"]

[tool.dl-lifecycle.rules]
superseded-patch = "off"
end-of-patch = { severity = "warning", escalate-to = "error", after-days = 30 }

[[tool.dl-lifecycle.images]]
pattern = "123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}"
framework = "pytorch"
`;

const EXPECTED_GOOD = {
  asOf: '2027-01-31',
  warningWindowDays: 120,
  exclude: ['legacy/**', '**/third_party/**'],
  rules: { 'superseded-patch': { severity: 'off' }, 'end-of-patch': { severity: 'warning', escalation: { to: 'error', afterDays: 30 } } },
  images: [{ pattern: '123456789012.dkr.ecr.*.amazonaws.com/ml-base:{framework_version}-gpu-{python}', placeholders: ['framework_version', 'python'], framework: 'pytorch' }],
};

function parse(text: string, kind: PolicyKind = 'dl-lifecycle-toml') {
  return parsePolicy(text, kind === 'pyproject' ? 'pyproject.toml' : '.dl-lifecycle.toml', kind);
}

/** The text a range covers. */
function covered(text: string, r: Range): string {
  const index = new TextIndex(text);
  return text.slice(index.offsetAt(r.start), index.offsetAt(r.end));
}

/** Each problem as [text it covers, its start line, its start character, message]. */
function problems(text: string, kind: PolicyKind = 'dl-lifecycle-toml') {
  return parse(text, kind).problems.map((p) => [covered(text, p.range), p.range.start.line, p.range.start.character, p.message] as const);
}

function withoutMeta(policy: object | undefined) {
  if (!policy) return policy;
  const { origin: _o, kind: _k, ...rest } = policy as { origin: string; kind: string };
  return rest;
}

describe('policy file: good files', () => {
  it('reads every key of the catalog.md example from .dl-lifecycle.toml', () => {
    const { policy, problems: ps } = parse(GOOD);
    assert.deepEqual(ps, []);
    assert.deepEqual(withoutMeta(policy), EXPECTED_GOOD);
    assert.equal(policy!.kind, 'dl-lifecycle-toml');
  });

  it('reads the same policy from [tool.dl-lifecycle] of pyproject.toml (TOML date, sub-tables, array of tables), ignoring other tools', () => {
    const { policy, problems: ps } = parse(GOOD_PYPROJECT, 'pyproject');
    assert.deepEqual(ps, []);
    assert.deepEqual(withoutMeta(policy), EXPECTED_GOOD);
  });

  it('reads inline and dotted forms in pyproject.toml', () => {
    for (const text of ['[tool]\n"dl-lifecycle" = { as-of = "2026-01-01", rules = { unpinned = "warning" } }\n', 'tool.dl-lifecycle.as-of = "2026-01-01"\ntool.dl-lifecycle.rules.unpinned = "warning"\n']) {
      const { policy, problems: ps } = parse(text, 'pyproject');
      assert.deepEqual(ps, []);
      assert.equal(policy!.asOf, '2026-01-01');
      assert.deepEqual(policy!.rules, { unpinned: { severity: 'warning' } });
    }
  });

  it('a pyproject.toml without [tool.dl-lifecycle] is no policy, even when it is broken', () => {
    assert.deepEqual(parse('[project]\nname = "x"\n', 'pyproject'), { policy: undefined, problems: [] });
    assert.deepEqual(parse('[project\nname = "x"\n', 'pyproject'), { policy: undefined, problems: [] });
  });

  it('an empty .dl-lifecycle.toml is an empty policy', () => {
    assert.deepEqual(parse(''), { policy: { origin: '.dl-lifecycle.toml', kind: 'dl-lifecycle-toml', exclude: [], rules: {}, images: [] }, problems: [] });
  });

  it('image mappings match whole image references and capture the placeholders', () => {
    const { policy } = parse(GOOD);
    const m = matchImage(policy!.images, '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-gpu-py311');
    assert.deepEqual(m && { framework: m.framework, version: m.frameworkVersion, captures: m.captures }, { framework: 'pytorch', version: '2.3.0', captures: { framework_version: '2.3.0', python: 'py311' } });
    assert.equal(matchImage(policy!.images, '210987654321.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-gpu-py311'), undefined, 'other account');
    assert.equal(matchImage(policy!.images, '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-cpu-py311'), undefined, 'literal text must match');
    assert.equal(matchImage(policy!.images, '123456789012.dkr.ecr.us/east.amazonaws.com/ml-base:2.3.0-gpu-py311'), undefined, '* does not cross /');
    const fixed = parse('[[images]]\npattern = "registry.example.com/ml/base:stable-*"\nframework = "tensorflow"\nframework-version = "2.16"\nprocessor = "gpu"\njob = "training"\nnote = "rebuilt weekly"\n').policy!;
    assert.deepEqual(matchImage(fixed.images, 'registry.example.com/ml/base:stable-2025w01')?.frameworkVersion, '2.16');
    assert.deepEqual(matchImage(fixed.images, 'registry.example.com/ml/base:stable-2025w01')?.captures, { processor: 'gpu' });
  });
});

describe('policy file: bad files report each problem at its range and keep the valid rest', () => {
  it('a TOML syntax error is one problem at its position, and nothing of the file applies', () => {
    const text = 'warning-window-days = 30\nexclude = ["a/**"]\nas-of = "2027-01-31\n';
    const { policy, problems: ps } = parse(text);
    assert.equal(ps.length, 1);
    assert.deepEqual(ps[0].range, { start: { line: 2, character: 19 }, end: { line: 2, character: 19 } });
    assert.match(ps[0].message, /^TOML syntax error: Unterminated string constant; nothing in this policy file applies until it is fixed$/);
    assert.deepEqual(withoutMeta(policy), { exclude: [], rules: {}, images: [] });
    const dupe = 'as-of = "2027-01-31"\nas-of = "2027-02-01"\n';
    assert.deepEqual(problems(dupe).map(([t, l, c]) => [t, l, c]), [['a', 1, 0]]);
  });

  it('a syntax error in a pyproject.toml that holds the policy table is reported', () => {
    assert.deepEqual(problems('[tool.dl-lifecycle]\nas-of = \n', 'pyproject').map(([, l, c, m]) => [l, c, m.split(';')[0]]), [[2, 0, 'TOML syntax error: Unspecified values are invalid']]);
  });

  it('an unknown key is reported on the key, with a suggestion', () => {
    const text = 'as-of = "2027-01-31"\nwarning-window = 30\nexlude = ["x/**"]\n';
    const { policy } = parse(text);
    assert.deepEqual(problems(text), [
      ['warning-window', 1, 0, "unknown key 'warning-window' (did you mean 'warning-window-days'?); known keys: as-of, warning-window-days, exclude, rules, images"],
      ['exlude', 2, 0, "unknown key 'exlude' (did you mean 'exclude'?); known keys: as-of, warning-window-days, exclude, rules, images"],
    ]);
    assert.equal(policy!.asOf, '2027-01-31', 'the rest stays in force');
    assert.equal(closestName('warningWindowDays', ['as-of', 'warning-window-days']), 'warning-window-days');
    assert.equal(closestName('colour', ['as-of', 'warning-window-days']), undefined);
  });

  it('wrong types are reported on the value (quotes included)', () => {
    const text = 'warning-window-days = "30"\nexclude = "legacy/**"\nrules = "off"\nimages = { pattern = "x" }\nas-of = 20270131\n';
    assert.deepEqual(problems(text), [
      ['"30"', 0, 22, 'warning-window-days must be a whole number of days ≥ 0, not "30"'],
      ['"legacy/**"', 1, 10, 'exclude must be an array of glob strings, not a string (write exclude = ["legacy/**"])'],
      ['"off"', 2, 8, 'rules must be a table of rule ids ([rules] with lines like end-of-patch = "error"), not a string'],
      ['images', 3, 0, 'images must be an array of tables ([[images]] sections), not a table'],
      ['20270131', 4, 8, 'as-of must be a calendar day YYYY-MM-DD (a TOML date or a string), not an integer; leave it out to evaluate as of today'],
    ]);
    assert.deepEqual(problems('warning-window-days = -1\n')[0].slice(0, 3), ['-1', 0, 22]);
    assert.deepEqual(problems('warning-window-days = 1.5\n')[0].slice(0, 3), ['1.5', 0, 22]);
  });

  it('bad exclude entries are reported one by one; the good ones apply', () => {
    const text = 'exclude = ["legacy/**", 3, "/abs/**", "../up/**", "", "ok/[a"]\n';
    const { policy } = parse(text);
    assert.deepEqual(policy!.exclude, ['legacy/**']);
    assert.deepEqual(problems(text).map(([t, , c, m]) => [t, c, m.replace(/^exclude entr(y|ies) /, '').replace(/ \(Missing closing.*\)$/, '')]), [
      ['3', 24, 'must be glob strings, not an integer'],
      ['"/abs/**"', 27, `"/abs/**" must be relative to the policy file's folder`],
      ['"../up/**"', 38, `"../up/**" cannot reach outside the policy file's folder ('..')`],
      ['""', 50, '"" is empty'],
      ['"ok/[a"', 54, '"ok/[a" is not a valid glob'],
    ].map(([t, c, m]) => [t, c, m]));
  });

  it('a bad day is reported on the value; a date with a time of day is refused', () => {
    assert.deepEqual(problems('as-of = "2027-02-30"\n'), [['"2027-02-30"', 0, 8, 'as-of must be a calendar day YYYY-MM-DD (a TOML date or a string), not "2027-02-30"; leave it out to evaluate as of today']]);
    assert.deepEqual(problems('as-of = 2027-01-31T10:00:00Z\n'), [['2027-01-31T10:00:00Z', 0, 8, 'as-of must be a calendar day YYYY-MM-DD (a TOML date or a string) without a time of day; leave it out to evaluate as of today']]);
  });

  it('an unknown rule id is reported on the key with a suggestion; the other rules apply', () => {
    const text = '[rules]\nend-of-pach = "off"\nunpinned = "warning"\n';
    assert.deepEqual(problems(text), [['end-of-pach', 1, 0, `unknown rule 'end-of-pach' (did you mean 'end-of-patch'?); rules: ${RULE_IDS.join(', ')}`]]);
    assert.deepEqual(parse(text).policy!.rules, { unpinned: { severity: 'warning' } });
  });

  it('a bad severity is reported on the value with a suggestion; the valid rules apply', () => {
    const text = '[rules]\nend-of-patch = "warn"\nunpinned = { severity = "fatal" }\ndiscontinued = "error"\nsuperseded-patch = 3\n';
    const expected = [
      ['"warn"', 1, 15, "end-of-patch must be one of off, hint, information, warning, error, not \"warn\" (did you mean 'warning'?)"],
      ['"fatal"', 2, 24, 'severity must be one of off, hint, information, warning, error, not "fatal"'],
      ['3', 4, 19, 'superseded-patch must be a severity (off, hint, information, warning, error) or a table { severity, escalate-to, after-days }, not an integer'],
    ];
    assert.deepEqual(problems(text), expected);
    assert.deepEqual(parse(text).policy!.rules, { discontinued: { severity: 'error' } });
  });

  it('escalation of a rule that carries no date is reported on escalate-to; its severity still applies', () => {
    const text = '[rules]\nend-of-patch-soon = { severity = "warning", escalate-to = "error", after-days = 10 }\n';
    assert.deepEqual(problems(text), [['escalate-to', 1, 44, `end-of-patch-soon cannot escalate: its findings carry no date to count days from; escalation works for ${DATED_RULE_IDS.join(', ')}`]]);
    assert.deepEqual(parse(text).policy!.rules, { 'end-of-patch-soon': { severity: 'warning' } });
  });

  it('escalation needs both keys, a whole number of days, and a more severe target', () => {
    assert.deepEqual(problems('[rules]\nend-of-patch = { escalate-to = "error" }\n').map(([t, , , m]) => [t, m]), [['escalate-to', 'escalate-to needs after-days as well (escalate-to = "error", after-days = 30)']]);
    assert.deepEqual(problems('[rules]\nend-of-patch = { after-days = 3 }\n').map(([t, , , m]) => [t, m]), [['after-days', 'after-days needs escalate-to as well (escalate-to = "error", after-days = 30)']]);
    assert.deepEqual(problems('[rules]\nend-of-patch = { escalate-to = "error", after-days = "30" }\n').map(([t]) => t), ['"30"']);
    assert.deepEqual(problems('[rules]\nend-of-patch = { escalate-to = "hint", after-days = 3 }\n').map(([t, , , m]) => [t, m]), [['"hint"', "escalate-to (hint) must be more severe than the rule's severity (warning)"]]);
    assert.deepEqual(problems('[rules]\nend-of-patch = { escalate-to = "off", after-days = 3 }\n').map(([t]) => t), ['"off"']);
    assert.deepEqual(problems('[rules.end-of-patch]\nseverity = "error"\nescalate = "error"\n').map(([t, l, c, m]) => [t, l, c, m]), [
      ['escalate', 2, 0, "unknown key 'escalate' in rules.end-of-patch (did you mean 'escalate-to'?); known keys: severity, escalate-to, after-days"],
    ]);
    // a rule with only an escalation keeps the severity of the next layer (or its default)
    assert.deepEqual(parse('[rules]\ndiscontinued = { escalate-to = "error", after-days = 0 }\n').policy!.rules, { discontinued: { escalation: { to: 'error', afterDays: 0 } } });
  });

  it('an images entry without framework is reported on its header; the other entries apply', () => {
    const text = '[[images]]\npattern = "a.example/x:{framework_version}"\n\n[[images]]\npattern = "b.example/y:{framework_version}"\nframework = "pytorch"\n';
    assert.deepEqual(problems(text), [['images', 0, 2, 'this images entry has no framework (one of pytorch, tensorflow, mxnet)']]);
    assert.deepEqual(parse(text).policy!.images.map((m) => m.pattern), ['b.example/y:{framework_version}']);
  });

  it('image entries: bad framework, unknown placeholder (narrowed to it), braces, no version, unknown key', () => {
    const text = [
      '[[images]]',
      'pattern = "r/x:{framework_version}-{pyton}"',
      'framework = "pytorh"',
      '[[images]]',
      'pattern = "r/x:{framework_version"',
      'framework = "pytorch"',
      '[[images]]',
      'pattern = "r/x:latest"',
      'framework = "pytorch"',
      'prosessor = "gpu"',
      '',
    ].join('\n');
    assert.deepEqual(problems(text), [
      ['{pyton}', 1, 35, "unknown placeholder {pyton} (did you mean 'python'?); placeholders: {framework_version}, {python}, {processor}, {cuda}, {os}, {transformers_version}, {neuron_sdk}"],
      ['"pytorh"', 2, 12, "framework must be one of pytorch, tensorflow, mxnet, not \"pytorh\" (did you mean 'pytorch'?)"],
      ['{', 4, 15, "pattern: '{' without a matching '}'"],
      ['prosessor', 9, 0, "unknown key 'prosessor' in images[2] (did you mean 'processor'?); known keys: pattern, framework, framework-version, job, processor, note"],
      ['"r/x:latest"', 7, 10, 'pattern has no {framework_version} placeholder and the entry gives no framework-version: nothing tells which version the image holds'],
    ]);
    assert.deepEqual(parse(text).policy!.images, []);
  });

  it('problem ranges are UTF-16 positions on lines with non-ASCII text', () => {
    // 😀 is two UTF-16 code units: the 3 starts at character 18 (17 code points)
    assert.deepEqual(problems('exclude = ["é😀", 3]\n').map(([t, l, c]) => [t, l, c]), [['3', 0, 18]]);
    assert.deepEqual(parse('exclude = ["é😀", 3]\n').problems[0].range.end, { line: 0, character: 19 });
  });
});

describe('policy file discovery (conflicting and nested files)', () => {
  const tree = (files: Record<string, string>) => workspace(files, 'dl-lifecycle-policy-');

  it('in one folder, .dl-lifecycle.toml wins over pyproject.toml [tool.dl-lifecycle]', () => {
    const dir = tree({ '.dl-lifecycle.toml': 'as-of = "2027-01-31"\n', 'pyproject.toml': '[tool.dl-lifecycle]\nas-of = "2030-01-01"\nwarning-window-days = 5\n', 'app/requirements.txt': '' });
    const found = new PolicyFinder().nearest(path.join(dir, 'app'));
    assert.equal(found?.file, path.join(dir, '.dl-lifecycle.toml'));
    assert.equal(found?.policy.asOf, '2027-01-31');
    assert.equal(found?.policy.warningWindowDays, undefined, 'the pyproject table is not merged in');
  });

  it('a pyproject.toml without the table does not stop the walk', () => {
    const dir = tree({ 'pyproject.toml': '[tool.dl-lifecycle]\nas-of = "2030-01-01"\n', 'pkg/pyproject.toml': '[project]\nname = "pkg"\n' });
    assert.equal(new PolicyFinder().nearest(path.join(dir, 'pkg'))?.file, path.join(dir, 'pyproject.toml'));
  });

  it('nested policy files: the nearest wins alone (nothing inherited from the outer one)', () => {
    const dir = tree({ '.dl-lifecycle.toml': 'as-of = "2027-01-31"\nwarning-window-days = 120\n', 'svc/pyproject.toml': '[tool.dl-lifecycle]\nwarning-window-days = 7\n' });
    const finder = new PolicyFinder();
    const inner = finder.nearest(path.join(dir, 'svc', 'deep', 'er'));
    assert.equal(inner?.file, path.join(dir, 'svc', 'pyproject.toml'));
    assert.equal(inner?.policy.asOf, undefined);
    assert.equal(inner?.policy.warningWindowDays, 7);
    assert.equal(finder.nearest(path.join(dir, 'other'))?.policy.warningWindowDays, 120);
  });

  it('the walk stops at stopAt (the editor\'s workspace folder)', () => {
    const dir = tree({ '.dl-lifecycle.toml': 'as-of = "2027-01-31"\n', 'ws/a/requirements.txt': '' });
    assert.equal(new PolicyFinder().nearest(path.join(dir, 'ws', 'a'), path.join(dir, 'ws')), undefined);
    assert.equal(new PolicyFinder().nearest(path.join(dir, 'ws', 'a'))?.file, path.join(dir, '.dl-lifecycle.toml'));
  });

  it('parses are cached by modification time; an overlay (open buffer) replaces the disk content', () => {
    const dir = tree({ '.dl-lifecycle.toml': 'as-of = "2027-01-31"\n' });
    const file = path.join(dir, '.dl-lifecycle.toml');
    const finder = new PolicyFinder();
    const first = finder.load(file);
    assert.equal(finder.load(file), first, 'same mtime: same parse');
    assert.equal(finder.nearest(path.join(dir, 'sub')), first);
    writeFileSync(file, 'as-of = "2028-02-29"\n');
    utimesSync(file, new Date(2030, 0, 1), new Date(2030, 0, 1));
    assert.equal(finder.nearest(path.join(dir, 'sub'))?.policy.asOf, '2028-02-29', 'a changed file is noticed without invalidate()');
    finder.setOverlay(file, 'as-of = "2029-03-01"\n');
    assert.equal(finder.nearest(dir)?.policy.asOf, '2029-03-01');
    finder.setOverlay(file, undefined);
    assert.equal(finder.nearest(dir)?.policy.asOf, '2028-02-29');
  });
});

describe('precedence: policy file, settings, command line', () => {
  const policy = parse('as-of = "2027-01-31"\nwarning-window-days = 120\n[rules]\nsuperseded-patch = "off"\nend-of-patch = { escalate-to = "error", after-days = 30 }\n').policy!;
  const settings = { ...DEFAULT_SETTINGS, asOf: '2026-06-01', warningWindowDays: 30, severities: { 'superseded-patch': 'warning', unpinned: 'hint' } as const };

  it('by default the policy file wins for the keys it sets; settings fill the rest', () => {
    const o = mergeLayers(editorLayers(settings, policy), TODAY, 90);
    assert.deepEqual(o, { asOf: '2027-01-31', warningWindowDays: 120, severities: { 'superseded-patch': 'off', unpinned: 'hint' }, escalations: { 'end-of-patch': { to: 'error', afterDays: 30 } } });
  });

  it('with settingsOverridePolicyFile the settings win; policy keys the settings lack stay', () => {
    const o = mergeLayers(editorLayers({ ...settings, settingsOverridePolicyFile: true }, policy), TODAY, 90);
    assert.deepEqual(o, { asOf: '2026-06-01', warningWindowDays: 30, severities: { 'superseded-patch': 'warning', unpinned: 'hint' }, escalations: { 'end-of-patch': { to: 'error', afterDays: 30 } } });
    const unset = mergeLayers(editorLayers({ ...DEFAULT_SETTINGS, settingsOverridePolicyFile: true }, policy), TODAY, 90);
    assert.equal(unset.asOf, '2027-01-31', 'an empty asOf setting overrides nothing');
    assert.equal(unset.warningWindowDays, 90, 'the window setting always has a value');
  });

  it('a settings rule overriding a policy rule drops the policy escalation for it', () => {
    const o = mergeLayers(editorLayers({ ...DEFAULT_SETTINGS, severities: { 'end-of-patch': 'hint' }, settingsOverridePolicyFile: true }, policy), TODAY, 90);
    assert.deepEqual([o.severities, o.escalations], [{ 'superseded-patch': 'off', 'end-of-patch': 'hint' }, {}]);
  });

  it('without a policy file the settings apply; in the CLI the command line wins over the policy file', () => {
    assert.deepEqual(mergeLayers(editorLayers(settings, undefined), TODAY, 90).asOf, '2026-06-01');
    const cli = mergeLayers([policyLayer(policy), { asOf: '2025-01-01' }], TODAY, 90);
    assert.deepEqual([cli.asOf, cli.warningWindowDays], ['2025-01-01', 120]);
    assert.equal(mergeLayers([policyLayer(undefined), {}], TODAY, 90).asOf, TODAY);
  });
});

describe('escalation', () => {
  const kind = fileKindById('pip-requirements')!;
  const policy = parse('[rules]\nend-of-patch = { severity = "warning", escalate-to = "error", after-days = 30 }\ndiscontinued = { severity = "information", escalate-to = "error", after-days = 365 }\nsuperseded-patch = { escalate-to = "warning", after-days = 60 }\n').policy!;
  const severities = (text: string, asOf: string) =>
    analyzeText(text, 'requirements.txt', kind, syntheticCatalog, mergeLayers([policyLayer(policy)], asOf, 90)).findings.map((f) => `${f.rule}:${f.severity}`);

  it('end-of-patch (2024-10-28) is a warning on day 29 after it, an error on day 30 and 31', () => {
    assert.deepEqual(severities('torch==1.13.1\n', '2024-11-26'), ['end-of-patch:warning']);
    assert.deepEqual(severities('torch==1.13.1\n', '2024-11-27'), ['end-of-patch:error']);
    assert.deepEqual(severities('torch==1.13.1\n', '2024-11-28'), ['end-of-patch:error']);
  });

  it('findings carry the day their condition started', () => {
    const findings = analyzeText('torch==1.13.1\nmxnet==1.9.1\ntorch==2.1.0\n', 'requirements.txt', kind, syntheticCatalog, { asOf: '2025-06-01', severities: { 'superseded-patch': 'hint' } }).findings;
    assert.deepEqual(findings.map((f) => [f.rule, f.since]), [
      ['end-of-patch', '2024-10-28'],
      ['discontinued', '2023-09-01'],
      ['end-of-patch', '2022-11-04'],
      ['superseded-patch', '2025-03-01'],
    ]);
  });

  it('discontinued escalates a year after the retirement month; superseded-patch 60 days after the later patch', () => {
    assert.deepEqual(severities('mxnet==1.9.1\n', '2024-08-30'), ['discontinued:information', 'end-of-patch:error']);
    assert.deepEqual(severities('mxnet==1.9.1\n', '2024-08-31'), ['discontinued:error', 'end-of-patch:error']);
    assert.deepEqual(severities('torch==2.1.0\n', '2025-04-29'), ['superseded-patch:hint']);
    assert.deepEqual(severities('torch==2.1.0\n', '2025-04-30'), ['superseded-patch:warning']);
  });

  it('a finding without a start day never escalates; off can escalate', () => {
    assert.equal(escalatedSeverity('warning', undefined, { to: 'error', afterDays: 0 }, TODAY), 'warning');
    assert.equal(escalatedSeverity('off', '2025-12-01', { to: 'error', afterDays: 14 }, TODAY), 'error');
    assert.equal(escalatedSeverity('off', '2025-12-02', { to: 'error', afterDays: 14 }, TODAY), 'off');
  });
});

describe('exclude', () => {
  const root = path.resolve('/project');
  const loaded = (exclude: string[]): LoadedPolicy => ({ file: path.join(root, '.dl-lifecycle.toml'), kind: 'dl-lifecycle-toml', policy: { origin: '', kind: 'dl-lifecycle-toml', exclude, rules: {}, images: [] }, problems: [] });
  const p = (...parts: string[]) => path.join(root, ...parts);

  it('matches paths relative to the policy file folder, and folders on the way', () => {
    const policy = loaded(['legacy/**', '**/third_party/**', 'build', 'tmp/', '*.in']);
    assert.equal(isExcluded(policy, p('legacy', 'requirements.txt')), true);
    assert.equal(isExcluded(policy, p('src', 'legacy', 'requirements.txt')), false, 'legacy/** is anchored at the policy folder');
    assert.equal(isExcluded(policy, p('a', 'b', 'third_party', 'x', 'requirements.txt')), true);
    assert.equal(isExcluded(policy, p('build', 'deep', 'requirements.txt')), true, 'a folder name excludes what is inside');
    assert.equal(isExcluded(policy, p('tmp', 'requirements.txt')), true, 'a folder glob with a trailing slash');
    assert.equal(isExcluded(policy, p('tmp'), true), true);
    assert.equal(isExcluded(policy, p('requirements.in')), true);
    assert.equal(isExcluded(policy, p('sub', 'requirements.in')), false, '*.in does not cross folders');
    assert.equal(isExcluded(policy, p('requirements.txt')), false);
  });

  it('never excludes files outside the policy folder, or anything without a policy', () => {
    assert.equal(isExcluded(loaded(['**']), path.resolve('/elsewhere/requirements.txt')), false);
    assert.equal(isExcluded(undefined, p('legacy', 'requirements.txt')), false);
  });
});

describe('parsePolicy is total (property-based)', () => {
  function assertInside(text: string, r: Range): void {
    const idx = new TextIndex(text);
    const s = idx.offsetAt(r.start);
    const e = idx.offsetAt(r.end);
    assert.deepEqual(idx.positionAt(s), r.start, 'start outside the text');
    assert.deepEqual(idx.positionAt(e), r.end, 'end outside the text');
    assert.ok(s <= e, 'reversed range');
  }
  const check = (text: string) => {
    for (const kind of ['dl-lifecycle-toml', 'pyproject'] as const) {
      const { problems: ps } = parsePolicy(text, 'f', kind);
      for (const p of ps) assertInside(text, p.range);
    }
  };

  it('never throws on random strings, and every problem range lies inside the text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(s)), { numRuns: 400 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('[', ']', '=', '"', "'", '{', '}', ',', '.', '\n', '\r', ' ', 'a', '1', '-', '#', '\\', 'é', '😀', '\u0000'), maxLength: 200 }), (s) => check(s)), { numRuns: 400 });
  });

  it('never throws on mutated valid policy files (both forms)', () => {
    const pieces = ['"', "'", '[', ']', '[[', '{', '}', '=', ',', '\n', '\r\n', '2027-13-45', '-1', '1.5', 'true', '"off"', '{framework_version', '}', '😀', '\u0000', 'rules', 'images', 'escalate-to', 'after-days', 'tool.dl-lifecycle', '"""'];
    const mutated = (base: string) =>
      fc.array(fc.tuple(fc.nat(base.length), fc.nat(8), fc.constantFrom(...pieces)), { maxLength: 6 }).map((edits) => {
        let t = base;
        for (const [at, del, ins] of edits) {
          const i = Math.min(at, t.length);
          t = t.slice(0, i) + ins + t.slice(i + del);
        }
        return t;
      });
    fc.assert(fc.property(fc.oneof(mutated(GOOD), mutated(GOOD_PYPROJECT)), (s) => check(s)), { numRuns: 600 });
  });
});

describe('policy file documentation', () => {
  const root = path.resolve(__dirname, '..', '..');
  it('docs/policy-file.md names every key, placeholder, framework id and dated rule; the setting is in the manifest', () => {
    const doc = readFileSync(path.join(root, 'docs', 'policy-file.md'), 'utf8');
    for (const key of POLICY_KEYS) assert.ok(doc.includes(`| \`${key}\` |`), `key ${key}`);
    for (const p of IMAGE_PLACEHOLDER_NAMES) assert.ok(doc.includes(`\`{${p}}\``), `placeholder ${p}`);
    for (const f of FRAMEWORK_IDS) assert.ok(doc.includes(`"${f}"`), `framework ${f}`);
    for (const r of DATED_RULE_IDS) assert.ok(doc.includes(`| \`${r}\` |`), `dated rule ${r}`);
    assert.deepEqual(new Set(syntheticCatalog.frameworks.map((f) => f.id)), new Set(FRAMEWORK_IDS), 'framework ids are the catalog ids');
    const setting = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).contributes.configuration.properties['dlLifecycle.settingsOverridePolicyFile'];
    assert.deepEqual([setting.type, setting.default], ['boolean', false]);
  });
});
