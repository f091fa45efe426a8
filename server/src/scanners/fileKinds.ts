/**
 * File kinds: how a path is recognised, which scanner reads it and its comment syntax.
 * Later file kinds (pyproject, conda, Dockerfile, Terraform, …) register here.
 */
import picomatch from 'picomatch';
import type { Catalog } from '../catalog/catalog';
import type { ScanResult } from '../model';
import type { ImageMapping } from '../policy/images';
import { scanRequirements } from './requirements';
import { scanDockerfile } from './dockerfile';
import { scanCondaEnvironment } from './condaEnvironment';
import { scanCondaExplicit } from './condaExplicit';
import { scanCondaSpecList } from './condaSpecList';
import { scanPyproject } from './pyproject';
import { scanPipfile } from './pipfile';
import { scanPython } from './python/sagemakerSdk';
import { scanNotebook } from './notebook/ipynb';
import { scanText } from './text';
import { scanTerraform } from './terraform';
import { scanTerraformJson } from './terraformJson';
import { cdkGrammarForPath, scanCdk } from './cdk';
import { scanInfrastructureJson, scanInfrastructureYaml } from './infrastructure';

export interface FileKind {
  id: string;
  /** LSP language ids the kind is known by in editors. */
  languageIds: string[];
  /** Globs over the path relative to the workspace (matched with `matchBase` for bare names). */
  patterns: string[];
  /** Line-comment marker used for suppression comments inserted by quick fixes. */
  lineComment: string;
  scan(text: string, catalog: Catalog, path: string, options?: ScanOptions): ScanResult;
  /** `-r`/`-c` include paths of this kind name files beside it (requirements files), rather than paths inside a container image (Dockerfile `RUN pip install -r`). */
  includesAreLocal: boolean;
  /**
   * The kind is read by the generic recognisers only (image URIs, DLAMI names, SSM paths in any
   * text): `scripts` (shell scripts, Makefiles: scanned by default by the CLI), `documents`
   * (Markdown, reStructuredText: scanned when asked for). Editors scan both only when the
   * `dlLifecycle.textFiles.enabled` setting is on. Absent: a structured file kind, always scanned.
   */
  generic?: 'scripts' | 'documents';
  /**
   * The scanner parses with tree-sitter (Python, notebooks, CDK, Terraform): the grammars must have
   * been loaded with `initParsers()` (scanners/treeSitter.ts) before a scan, or the scan gives only
   * a note that the parser is not loaded.
   */
  parses?: boolean;
}

/** What a scan may need beyond the text: the policy file's `[[images]]` mappings for internal images. */
export interface ScanOptions {
  mappings?: readonly ImageMapping[];
}

const isConstraints = (p: string) => /(^|[/\\])constraints[^/\\]*\.txt$/i.test(p);

export const FILE_KINDS: readonly FileKind[] = [
  {
    id: 'pip-requirements',
    languageIds: ['pip-requirements', 'pip-requirements-file', 'requirements'],
    patterns: ['requirements*.txt', '*requirements*.txt', 'constraints*.txt', 'requirements.in', '*.pip', '**/requirements/*.txt'],
    lineComment: '#',
    scan: (text, catalog, path) => scanRequirements(text, catalog, { constraints: isConstraints(path) }),
    includesAreLocal: true,
  },
  {
    id: 'dockerfile',
    languageIds: ['dockerfile'],
    patterns: ['Dockerfile', 'Dockerfile.*', '*.Dockerfile', '*.dockerfile', 'Containerfile', 'Containerfile.*', '**/Dockerfile'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanDockerfile(text, catalog, { mappings: options?.mappings }),
    includesAreLocal: false,
  },
  {
    id: 'python',
    languageIds: ['python'],
    patterns: ['*.py'],
    lineComment: '#',
    // cheap on ordinary Python: a file that mentions none of sagemaker, ECR (.dkr.ecr, public.ecr.aws),
    // amazonaws or Deep Learning AMIs (`deep learning`, `deeplearning`) is not parsed (see scanPython)
    scan: (text, catalog, _path, options) => scanPython(text, catalog, { mappings: options?.mappings }),
    parses: true,
    includesAreLocal: false,
  },
  {
    // the whole `.ipynb` JSON (the CLI); editors send notebook cells instead (notebook/cells.ts)
    id: 'notebook',
    languageIds: [],
    patterns: ['*.ipynb'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanNotebook(text, catalog, { mappings: options?.mappings }),
    parses: true,
    includesAreLocal: false,
  },
  {
    // no language id: editors call every TOML file `toml` (Cargo.toml, the policy file), and the
    // server chooses a kind by language id before the path
    id: 'pyproject',
    languageIds: [],
    patterns: ['pyproject.toml'],
    lineComment: '#',
    scan: (text, catalog) => scanPyproject(text, catalog),
    includesAreLocal: true,
  },
  {
    // `Pipfile` only: `Pipfile.lock` is JSON written by pipenv; no language id, as for pyproject
    id: 'pipfile',
    languageIds: [],
    patterns: ['Pipfile'],
    lineComment: '#',
    scan: (text, catalog) => scanPipfile(text, catalog),
    includesAreLocal: true,
  },
  {
    // by name only, no language id: editors call every YAML file `yaml` (workflows, Kubernetes,
    // CloudFormation). A matching file without top-level `dependencies:`/`channels:` yields nothing.
    // A file of these names that is not a conda environment (a Kubernetes `staging-environment.yaml`)
    // is read as infrastructure YAML.
    id: 'conda-environment',
    languageIds: [],
    patterns: ['*environment*.yml', '*environment*.yaml', '*conda*.yml', '*conda*.yaml', 'env.yml', 'env.yaml'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => {
      const conda = scanCondaEnvironment(text, catalog);
      return conda.references.length || conda.notes.length ? conda : scanInfrastructureYaml(text, catalog, { mappings: options?.mappings });
    },
    includesAreLocal: true, // `- pip: [-r requirements.txt]` names a file beside the environment file
  },
  {
    // `conda list --explicit` / `conda-lock --kind explicit` output; a file whose first line is not `@EXPLICIT` yields nothing
    id: 'conda-explicit',
    languageIds: [],
    patterns: ['conda-*.lock', '*.conda.lock', 'explicit*.txt', '*-explicit.txt', '*_explicit.txt', '*conda*explicit*.txt'],
    lineComment: '#',
    scan: (text, catalog) => scanCondaExplicit(text, catalog),
    includesAreLocal: true,
  },
  {
    // `conda create --file` spec lists, one MatchSpec per line (SageMaker Distribution's `*.env.in`);
    // the same names holding `@EXPLICIT` (`*.env.out`, `conda-spec*.txt`) are read as explicit locks
    id: 'conda-spec-list',
    languageIds: [],
    patterns: ['*.env.in', '*.env.out', 'conda-spec*.txt', 'spec-file*.txt'],
    lineComment: '#',
    scan: (text, catalog) => scanCondaSpecList(text, catalog),
    includesAreLocal: false,
  },
  {
    // Terraform, its variable files, and Packer/other HCL
    id: 'terraform',
    languageIds: ['terraform', 'terraform-vars', 'hcl'],
    patterns: ['*.tf', '*.tfvars', '*.hcl'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanTerraform(text, catalog, { mappings: options?.mappings }),
    parses: true,
    includesAreLocal: false,
  },
  {
    // Terraform's JSON syntax; before the generic JSON kind, which would otherwise take these names
    id: 'terraform-json',
    languageIds: [],
    patterns: ['*.tf.json', '*.tfvars.json', '*.pkr.json'],
    lineComment: '',
    scan: (text, catalog, _path, options) => scanTerraformJson(text, catalog, { mappings: options?.mappings }),
    includesAreLocal: false,
  },
  {
    // AWS CDK apps and any TypeScript/JavaScript: files mentioning none of the CDK APIs, ECR hosts,
    // DLAMI names or SSM paths are not parsed (scanCdk)
    id: 'cdk',
    languageIds: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'],
    patterns: ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs'],
    lineComment: '//',
    scan: (text, catalog, path, options) => scanCdk(text, catalog, { mappings: options?.mappings, grammar: cdkGrammarForPath(path) ?? 'typescript' }),
    parses: true,
    includesAreLocal: false,
  },
  {
    // CloudFormation/SAM, Kubernetes, compose, CI workflows and any other YAML (by path only: the
    // `yaml` language id also names conda environments); `.template` files may be JSON, which YAML reads
    id: 'infrastructure-yaml',
    languageIds: [],
    patterns: ['*.yaml', '*.yml', '*.template'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanInfrastructureYaml(text, catalog, { mappings: options?.mappings }),
    includesAreLocal: false,
  },
  {
    // CloudFormation templates, ECS task definitions and any other JSON (no comments: no suppression quick fix)
    id: 'infrastructure-json',
    languageIds: [],
    patterns: ['*.json'],
    lineComment: '',
    scan: (text, catalog, _path, options) => scanInfrastructureJson(text, catalog, { mappings: options?.mappings }),
    includesAreLocal: false,
  },
  {
    // the generic recognisers over scripts (`docker pull <DLC URI>`, `aws ec2 describe-images --filters
    // Name=name,Values='Deep Learning AMI …'`) and their install commands (`pip install`, `apt-get install aws-neuronx-…`)
    id: 'script',
    languageIds: ['shellscript', 'makefile'],
    patterns: ['*.sh', '*.bash', '*.zsh', '*.ksh', 'Makefile', 'makefile', 'GNUmakefile', '*.mk', 'Jenkinsfile'],
    lineComment: '#',
    scan: (text, catalog, _path, options) => scanText(text, catalog, { mappings: options?.mappings, commentMarker: '#', shellInstalls: true }),
    includesAreLocal: false,
    generic: 'scripts',
  },
  {
    // prose: no line comment, so no suppression quick fix (a policy file's `exclude` or `[rules]` instead)
    id: 'markdown',
    languageIds: ['markdown', 'restructuredtext'],
    patterns: ['*.md', '*.markdown', '*.mdx', '*.rst'],
    lineComment: '',
    scan: (text, catalog, _path, options) => scanText(text, catalog, { mappings: options?.mappings, commentMarker: '' }),
    includesAreLocal: false,
    generic: 'documents',
  },
];

/**
 * Any other text file named explicitly (`dl-lifecycle scan notes.txt`, `--text '**\/*.cfg'`): the
 * generic recognisers, `#` comments.
 */
export const TEXT_KIND: FileKind = {
  id: 'text',
  languageIds: [],
  patterns: [],
  lineComment: '#',
  scan: (text, catalog, _path, options) => scanText(text, catalog, { mappings: options?.mappings, commentMarker: '#' }),
  includesAreLocal: false,
  generic: 'documents',
};

const matchers = FILE_KINDS.map((k) => ({ kind: k, match: picomatch(k.patterns, { basename: false, nocase: true, dot: true }) }));

/** The file kind of a path (slash- or backslash-separated, relative or absolute), by its name. */
export function fileKindForPath(path: string): FileKind | undefined {
  const norm = path.replace(/\\/g, '/');
  const base = norm.slice(norm.lastIndexOf('/') + 1);
  return matchers.find(({ match }) => match(base) || match(norm))?.kind;
}

/** The file kind of an editor language id. */
export function fileKindForLanguage(languageId: string): FileKind | undefined {
  return FILE_KINDS.find((k) => k.languageIds.includes(languageId));
}

export function fileKindById(id: string): FileKind | undefined {
  return FILE_KINDS.find((k) => k.id === id);
}
