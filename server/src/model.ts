/**
 * The data that flows through the pipeline: scanner → {@link Reference}s → rules → {@link Finding}s.
 * Positions are LSP positions: 0-based line, 0-based UTF-16 code-unit character.
 * Nothing here knows about the language server protocol beyond the shape of a position.
 */
import type { CalendarDay } from './dates';

/** A 0-based line and UTF-16 character offset, as in LSP. */
export interface Position { line: number; character: number }
/** A half-open range `[start, end)` in LSP positions. */
export interface Range { start: Position; end: Position }

/** One operator/version clause of a version specifier, e.g. `>=` `2.1` in `torch>=2.1,<2.2`. */
export interface SpecifierClause {
  /** PEP 440 operator: `==`, `===`, `~=`, `!=`, `<`, `<=`, `>`, `>=`. */
  operator: string;
  /** The version text as written, e.g. `2.1.*` or `1.13.1+cpu`. */
  version: string;
  /** Range of `version` (what a fix edits). */
  versionRange: Range;
  /**
   * The clause is not written but implied by the one before it: the upper bound of a Poetry caret
   * or tilde constraint (`^1.13` reads as `>=1.13` written plus `<2.0` implied). Its `version` is
   * computed, its `versionRange` is that of the written version, and fixes never edit it.
   */
  implied?: boolean;
  /**
   * The version text as written, when `version` is a reading of it rather than the text itself:
   * conda's fuzzy `pytorch=1.13` is read as `1.13.*` and written `1.13`. Fixes write their target in
   * the written shape (`2.11`, not `2.11.*`). Absent: `version` is as written.
   */
  written?: string;
}

/** How a package pin was written: where it lives and what a fix may touch. */
export interface PackagePin {
  /** Package name as written (`Torch`, `tensorflow_cpu`). */
  name: string;
  /** PEP 503-normalised name (`torch`, `tensorflow-cpu`). */
  normalizedName: string;
  nameRange: Range;
  /** Version specifier as written without spaces around it, e.g. `>=2.1,<2.2`; empty when unpinned. */
  specifier: string;
  specifierRange?: Range;
  clauses: SpecifierClause[];
  /** The line carries `--hash` options: changing the version invalidates them. */
  hasHashes: boolean;
  /** The reference comes from a constraints file (`-c`) rather than a requirements file. */
  constraint: boolean;
  /**
   * The package manager the pin is written for: `pip` (requirements syntax, PEP 508 strings in
   * pyproject/Pipfile), `conda` (MatchSpecs), `poetry` (`^`/`~` constraints), `pipenv`, `apt`.
   * Absent means `pip`.
   */
  manager?: 'pip' | 'conda' | 'poetry' | 'pipenv' | 'apt';
  /** For conda pins: the channel written with the package (`pytorch::pytorch`), if any. */
  channel?: Located;
  /**
   * The version is part of a lock-file entry (a package URL of a conda `@EXPLICIT` file): it is
   * judged like any pin, but no fix edits it (the URL names one build of one file; regenerate the
   * lock file instead). Absent means false.
   */
  locked?: boolean;
  /**
   * An unquoted `<`/`>` after the package in a shell command (a notebook's `!pip install torch>=2.0`):
   * the shell reads it as a redirection, not a version, so the package is installed unpinned
   * (`specifier` is empty). `text` is what was written from the operator on (`>=2.0`), `target` the
   * file the shell writes to or reads from (`=2.0`).
   */
  shellRedirect?: Located & { target: string };
}

/** Reference kinds. */
export type ReferenceKind = 'framework-package-pin' | 'container-image' | 'dlami' | 'python-version' | 'package-channel' | 'sdk-framework' | 'accelerator';

/** A piece of a reference's text with its range in the scanned file. */
export interface Located {
  text: string;
  range: Range;
}

/**
 * How a container image reference was written: registry, repository, tag and digest, each with its
 * range, and the parts of the tag. For DLC images the tag parts are read by the catalog's tag
 * schemes (`catalog.images.parseDlcTag`); for base images by the base-image recogniser.
 */
export interface ContainerImage {
  /**
   * What the image is: `dlc` (an AWS Deep Learning Container: private ECR of a DLC account,
   * the legacy or pre-GA accounts, or `public.ecr.aws/deep-learning-containers|neuron`), `base` (a
   * well-known base image: `ubuntu`, `python`, `nvidia/cuda`, `pytorch/pytorch`,
   * `tensorflow/tensorflow`, `amazonlinux`, `continuumio/miniconda3`, …), or `mapped` (an internal
   * image matched by a policy file's `[[images]]` pattern).
   */
  family: 'dlc' | 'base' | 'mapped';
  /** The whole reference as written (`763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-…`). */
  uri: string;
  /** `763104351884.dkr.ecr.us-east-1.amazonaws.com`, `public.ecr.aws/neuron`, `docker.io` (implicit for base images: absent). */
  registry?: Located;
  /** Private ECR account, when the registry is one; a placeholder (`{account}`, `${AWS::AccountId}`) is kept as text with `placeholder: true`. */
  account?: Located & { placeholder: boolean };
  /** Private ECR region; placeholders (`{region}`, `${AWS::Region}`, `${var.region}`, `{}`) are kept as text with `placeholder: true`. */
  region?: Located & { placeholder: boolean };
  /** Repository as written (`pytorch-training`, `nvidia/cuda`, `python`). */
  repository: Located;
  /** Tag as written, absent when the reference has none (Docker then uses `latest`). */
  tag?: Located;
  /** `sha256:…` digest, when pinned by digest. */
  digest?: Located;
  /** The tag's scheme (a DLC tag scheme id such as `full`, `neuron`, `huggingface`; `base` for base images). */
  scheme?: string;
  /**
   * Parts of the tag with their ranges in the file; which are present depends on the scheme. For
   * the base images `ubuntu` and `amazonlinux` the `os` part is the version alone (`22.04`, `jammy`,
   * `2023`): read it with the image name (`ubuntu:22.04`, which `normalizeOs` and `osEol` accept).
   */
  parts: Partial<Record<ImagePartName, Located>>;
  /** For `dlc`: the catalog lists this exact tag for the repository; undefined when not judged (placeholder tag, unknown repository). */
  published?: boolean;
  /**
   * Where the text came from when it is not literal: a Dockerfile `ARG` default substituted into
   * `FROM`. Ranges above then point into the ARG's default value (what a fix edits).
   */
  substitutedFrom?: { variable: string; range: Range };
}

/** Names of tag parts (see `DlcTagParts` in `catalog/images.ts`, plus the base-image parts). */
export type ImagePartName =
  | 'frameworkVersion'
  | 'transformersVersion'
  | 'engine'
  | 'processor'
  | 'python'
  | 'cuda'
  | 'cudnn'
  | 'os'
  | 'neuronSdk'
  | 'platform'
  | 'suffix';

/** A Deep Learning AMI by name, name filter (with `*` wildcards) or SSM parameter path. */
export interface DlamiRef {
  form: 'name' | 'filter' | 'ssm-parameter';
  /** The DLAMI family id of `lifecycle.toml` (`gpu-pytorch-oss-nvidia`, `neuron-multi-framework`, …). */
  family: string;
  /** The parts the text carries, with ranges: framework version, OS, CUDA, date, version. */
  parts: Partial<Record<'frameworkVersion' | 'os' | 'cuda' | 'date' | 'version' | 'arch', Located>>;
}

interface ReferenceBase {
  kind: ReferenceKind;
  /**
   * The catalog id of what is referenced: a framework id (`pytorch`, `tensorflow`, `mxnet`) for
   * package pins and for DLC images of those frameworks; the repository's framework id for other
   * DLC images (`huggingface-pytorch`, `vllm`); the base image repository (`nvidia/cuda`); the
   * DLAMI family id.
   */
  subject: string;
  /** The version text as pinned: the exact version of `==`/`===` pins, else the specifier; an image's framework version; empty when there is none. */
  version: string;
  /** The reference as written (`torch[cuda]==1.13.1` markers excluded; the whole image URI; the AMI name). */
  text: string;
  /** Range of `text`. */
  range: Range;
}

/** A framework package pin (`torch==2.1.0`). */
export interface PackagePinReference extends ReferenceBase {
  kind: 'framework-package-pin';
  pin: PackagePin;
}

/** A container image (`FROM …`, an image URI string). */
export interface ImageReference extends ReferenceBase {
  kind: 'container-image';
  image: ContainerImage;
}

/** A Deep Learning AMI name, filter or SSM parameter. */
export interface DlamiReference extends ReferenceBase {
  kind: 'dlami';
  dlami: DlamiRef;
}

/** A Python version a file asks for (`python=3.8` in a conda environment, `python_version = "3.8"` in a Pipfile, `requires-python`). */
export interface PythonVersionReference extends ReferenceBase {
  kind: 'python-version';
  subject: 'python';
  /** Range of the version text (`3.8`), what a fix edits. */
  versionRange: Range;
  /** The version is part of a lock-file entry (a conda `@EXPLICIT` package URL): judged, never edited by a fix. Absent means false. */
  locked?: boolean;
}

/** A package channel or index a file installs from (`defaults`, `anaconda`, `conda-forge` in a conda environment). */
export interface ChannelReference extends ReferenceBase {
  kind: 'package-channel';
  /** The channel name as written (`defaults`, `pytorch`, `https://conda.anaconda.org/conda-forge`). */
  channel: string;
  manager: 'conda';
  /**
   * How the channel is written, for fixes: `list` (an entry of the `channels:` list; `range` covers
   * the whole entry with its quotes), `package` (a `channel::pkg` prefix), `implicit` (no
   * `channels:` key, so conda uses `defaults`; `range` is the `dependencies` key), `lock` (the
   * channel part of an `@EXPLICIT` package URL). `newEntry` (list entries and `implicit`) is the text
   * that starts another entry right after this one: a line break, the list's indentation and `- ` in
   * a block list (`\n  - `), `, ` in a flow list. Absent: not known, no fix adds entries.
   */
  written?: { form: 'list' | 'package' | 'implicit' | 'lock'; newEntry?: string };
}

/**
 * A SageMaker Python SDK call that selects a framework image (`PyTorch(framework_version="1.8.0",
 * py_version="py3")`, `HuggingFace(transformers_version=…, pytorch_version=…)`,
 * `image_uris.retrieve(framework="pytorch", version="1.8")`). Each argument has its own range; a
 * value that came from a constant assigned in the same file points at the constant's literal.
 */
export interface SdkFrameworkReference extends ReferenceBase {
  kind: 'sdk-framework';
  sdk: {
    /**
     * The callee as written (`PyTorch`, `sagemaker.pytorch.PyTorch`, `image_uris.retrieve`,
     * `get_huggingface_llm_image_uri`); for a Terraform module block that deploys a framework image
     * (the SageMaker Hugging Face module), `module.<name>`, with `callRange` on the name label.
     */
    call: string;
    callRange: Range;
    /** `training` for estimators, `inference` for models and `image_uris.retrieve(image_scope="inference")`. */
    job?: 'training' | 'inference';
    /** The framework id: `pytorch`, `tensorflow`, `mxnet`, `chainer`, `huggingface`, or another SDK framework name. */
    framework: string;
    /** `framework_version=` (or `version=` of `image_uris.retrieve`). */
    frameworkVersion?: Located;
    /** `pytorch_version=` / `tensorflow_version=` of Hugging Face calls. */
    baseFrameworkVersion?: Located & { framework: string };
    pyVersion?: Located;
    transformersVersion?: Located;
    instanceType?: Located;
    acceleratorType?: Located;
    /** Names of same-file constants that supplied argument values, with where they are assigned. */
    resolvedFrom?: Array<{ name: string; range: Range }>;
  };
}

/**
 * An accelerator type written outside a SageMaker SDK call: an endpoint configuration's
 * `AcceleratorType` / `accelerator_type` / `acceleratorType` in CloudFormation, Terraform or CDK
 * (`ml.eia2.medium`, an Amazon Elastic Inference accelerator). `subject` and `text` are the type as
 * written, `version` is ''.
 */
export interface AcceleratorReference extends ReferenceBase {
  kind: 'accelerator';
}

/** Something a file refers to, found by a scanner. A reference knows nothing of lifecycle. */
export type Reference = PackagePinReference | ImageReference | DlamiReference | PythonVersionReference | ChannelReference | SdkFrameworkReference | AcceleratorReference;

/** An include directive (`-r other.txt`, `-c constraints.txt`) found in a file. */
export interface Include {
  /** Path as written, relative to the including file's folder. */
  path: string;
  kind: 'requirements' | 'constraints';
  range: Range;
}

/** A comment with its text after the comment marker, for suppression directives. */
export interface Comment {
  /** Text after the marker (`#`), untrimmed. */
  text: string;
  /** Range of the whole comment including the marker. */
  range: Range;
  /** The comment is alone on its line (applies to the next statement) rather than trailing one. */
  standalone: boolean;
}

/** A statement that spans several physical lines (continuations), 0-based inclusive lines. */
export interface LineSpan { startLine: number; endLine: number }

/** A problem the scanner met and skipped; never fatal. */
export interface ScanNote { range: Range; message: string }

/** What a scanner returns for one file. */
export interface ScanResult {
  references: Reference[];
  includes: Include[];
  comments: Comment[];
  /** Logical statements, used to attach suppression comments to whole continued lines. */
  statements: LineSpan[];
  /** Package index options seen (`--index-url`, `--extra-index-url`). */
  indexUrls: string[];
  notes: ScanNote[];
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

/** A text replacement in the scanned file. */
export interface TextEdit { range: Range; newText: string }

/** A proposed change. `safe` fixes are applied by "fix all"; others need a person. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Applied by `source.fixAll` (false when, for example, `--hash` lines would be invalidated). */
  safe: boolean;
  /** Preferred fix among several, shown first by editors. */
  preferred?: boolean;
  /** The version the fix moves to, when it bumps a version. */
  targetVersion?: string;
}

/** A fact a finding rests on, with where it comes from; shown in hovers and reports. */
export interface Fact { label: string; value: string; source?: string }

/**
 * What the lifecycle says about a reference. A finding knows nothing of LSP.
 */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  subject: string;
  /** The version the rule evaluated (the highest version a range allows). */
  version?: string;
  endOfPatch?: CalendarDay;
  /**
   * The UTC calendar day the finding's condition started, for rules that carry one (`end-of-patch`:
   * the end-of-patch date; `discontinued`: the day the framework was retired; `superseded-patch`:
   * the release date of the later patch). A policy file's escalation counts days from it.
   */
  since?: CalendarDay;
  /** Shared between findings of the same framework version and day: never mutate. */
  facts: readonly Fact[];
  fixes: Fix[];
  /** The reference the finding is about (absent for findings about the file, like unused suppressions). */
  reference?: Reference;
}
