import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadBundledCatalog } from '../../server/src/catalog/load';
import { catalogContents } from '../../server/src/cli/commands/catalog';
import { RULE_IDS, RULES } from '../../server/src/rules/ruleIds';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('documentation and manifest stay true to the code', () => {
  it('every rule has a page in docs/rules/ that states its default severity', () => {
    for (const id of RULE_IDS) {
      const page = path.join(root, 'docs', 'rules', `${id}.md`);
      assert.ok(existsSync(page), `missing docs/rules/${id}.md`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# \`${id}\``), `${id}.md title`);
      const sev = RULES[id].defaultSeverity;
      assert.match(text, new RegExp(`\\*\\*Default severity:\\*\\* ${sev === 'off' ? 'off' : sev}`), `${id}.md default severity`);
    }
  });

  it('every rule is configurable in the settings schema, and the README lists every rule', () => {
    const props = manifest.contributes.configuration.properties['dlLifecycle.rules'].properties;
    assert.deepEqual(Object.keys(props).sort(), [...RULE_IDS].sort());
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const id of RULE_IDS) assert.ok(readme.includes(`docs/rules/${id}.md`), `README links ${id}`);
  });

  it('the README starts with the two set-up commands', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const head = readme.split('\n').slice(0, 12).join('\n');
    assert.ok(head.includes('npm ci && npm run scan -- examples'));
    assert.ok(head.includes('npm test'));
  });

  it('the README\'s catalog figures are what `catalog status` counts in the bundled catalog', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const c = catalogContents(loadBundledCatalog());
    const figure = (n: number | string) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    assert.ok(readme.includes(`${c.dlcRepositories} DLC repositories with ${figure(c.publishedTags)} published tags`), 'images.toml row');
    assert.ok(readme.includes(`region → ECR account for ${c.dlcRegions} regions`), 'DLC regions');
    assert.ok(readme.includes(`${c.dlamiFamilies} DLAMI families`), 'DLAMI families');
    assert.ok(readme.includes(`Neuron SDK ${String(c.neuronReleases).replace(/^\d+ \((.*)\)$/, '$1')} with dates`), 'Neuron releases');
    assert.ok(readme.includes(`${c.neuronAnnouncements} end-of-support and maintenance announcements`), 'Neuron announcements');
  });
});
