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
}

/** Reference kinds; later file kinds add image, DLAMI, SDK-call kinds. */
export type ReferenceKind = 'framework-package-pin';

/**
 * Something a file pins, found by a scanner. A reference knows nothing of lifecycle.
 * `subject` is the catalog id of what is pinned (`pytorch`, `tensorflow`, `mxnet`).
 */
export interface Reference {
  kind: ReferenceKind;
  subject: string;
  /** The version text as pinned: the exact version of `==`/`===` pins, else the specifier; empty when unpinned. */
  version: string;
  /** The requirement text as written (`torch[cuda]==1.13.1`, markers excluded). */
  text: string;
  /** Range of `text`. */
  range: Range;
  pin: PackagePin;
}

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
