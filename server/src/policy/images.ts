/**
 * `[[images]]` mappings of a policy file: internal images built FROM a Deep Learning Container,
 * mapped to the framework (and version, Python, processor, …) they contain, so image rules can judge
 * `123456789012.dkr.ecr.us-east-1.amazonaws.com/ml-base:2.3.0-gpu-py311` like the DLC it is built on.
 *
 * A pattern is the whole image reference (`registry/repository:tag`) with placeholders in braces
 * and `*` for any run of characters other than `/`. Every other character matches itself.
 */

/** Placeholders an image pattern may use, with what each matches (a regular expression source). */
export const IMAGE_PLACEHOLDERS = {
  /** `2.3`, `2.3.0`, `1.13.1` */
  framework_version: '\\d+(?:\\.\\d+)+',
  /** `py310`, `py3` */
  python: 'py\\d+',
  /** `cpu`, `gpu`, `neuron`, `neuronx`, `inf2`, `trn1` */
  processor: 'cpu|gpu|neuronx|neuron|inf\\d*|trn\\d*',
  /** `cu121` */
  cuda: 'cu\\d+',
  /** `ubuntu20.04`, `amzn2`, `al2023` */
  os: '[a-z]+\\d+(?:\\.\\d+)?',
  /** `4.36.0` (Hugging Face images) */
  transformers_version: '\\d+(?:\\.\\d+)+',
  /** `2.18.0` (Neuron SDK release of `sdk2.18.0` tags; write `sdk{neuron_sdk}`) */
  neuron_sdk: '\\d+(?:\\.\\d+)+',
} as const;

export type ImagePlaceholder = keyof typeof IMAGE_PLACEHOLDERS;
export const IMAGE_PLACEHOLDER_NAMES = Object.keys(IMAGE_PLACEHOLDERS) as ImagePlaceholder[];

/** Framework ids an image mapping may name: the catalog's framework ids. */
export const FRAMEWORK_IDS = ['pytorch', 'tensorflow', 'mxnet'] as const;
/** Values of an image mapping's optional `job` field. */
export const IMAGE_JOBS = ['training', 'inference'] as const;
/** Values of an image mapping's optional `processor` field. */
export const IMAGE_PROCESSORS = ['cpu', 'gpu', 'neuron', 'neuronx'] as const;

/** One `[[images]]` entry of a policy file, validated. */
export interface ImageMapping {
  /** The pattern as written. */
  pattern: string;
  /** Placeholders the pattern uses, in order. */
  placeholders: ImagePlaceholder[];
  /** A framework id of {@link FRAMEWORK_IDS}. */
  framework: string;
  /** A fixed framework version for patterns without `{framework_version}` (`ml-base:stable` is PyTorch 2.3). */
  frameworkVersion?: string;
  job?: (typeof IMAGE_JOBS)[number];
  processor?: (typeof IMAGE_PROCESSORS)[number];
  /** Free text for people, shown with findings about matching images. */
  note?: string;
}

/** What a mapping says about an image reference: the framework, and each placeholder's captured text. */
export interface ImageMatch {
  mapping: ImageMapping;
  framework: string;
  /** Captured or fixed framework version. */
  frameworkVersion?: string;
  /** Captured placeholders (`python` → `py311`, `cuda` → `cu121`); fixed `processor` when not captured. */
  captures: Partial<Record<ImagePlaceholder, string>>;
  /** Where each captured placeholder lies in the matched image text: UTF-16 offsets, `end` exclusive (fixed values have none). */
  spans: Partial<Record<ImagePlaceholder, { start: number; end: number }>>;
}

/** One piece of a pattern: literal text, `*`, or a placeholder with its offset in the pattern. */
export type PatternPart = { literal: string } | { star: true } | { placeholder: string; offset: number; length: number };

/**
 * Splits a pattern into literal text, `*` and `{name}` parts.
 * @returns the parts, or the offset (into the pattern) and message of the first brace error
 */
export function splitPattern(pattern: string): { parts: PatternPart[] } | { error: { offset: number; length: number; message: string } } {
  const parts: PatternPart[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (literal) parts.push({ literal });
      literal = '';
      const previous = parts[parts.length - 1];
      if (!previous || !('star' in previous)) parts.push({ star: true }); // `**` is one `*`
    } else if (ch === '{') {
      const close = pattern.indexOf('}', i + 1);
      const nested = pattern.indexOf('{', i + 1);
      if (close < 0 || (nested >= 0 && nested < close)) return { error: { offset: i, length: 1, message: "'{' without a matching '}'" } };
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ placeholder: pattern.slice(i + 1, close), offset: i, length: close - i + 1 });
      i = close;
    } else if (ch === '}') {
      return { error: { offset: i, length: 1, message: "'}' without a matching '{'" } };
    } else literal += ch;
  }
  if (literal) parts.push({ literal });
  return { parts };
}

/** Image references longer than this are never matched (real ones are far shorter). */
export const MAX_IMAGE_LENGTH = 512;
/** Most `*` wildcards a pattern may hold, which keeps matching linear in practice. */
export const MAX_IMAGE_WILDCARDS = 3;

const compiled = new WeakMap<ImageMapping, RegExp>();

function regexOf(mapping: ImageMapping): RegExp {
  let re = compiled.get(mapping);
  if (re) return re;
  const split = splitPattern(mapping.pattern);
  const parts = 'parts' in split ? split.parts : [{ literal: mapping.pattern }];
  const source = parts
    .map((p) =>
      'literal' in p
        ? p.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
        : 'star' in p
          ? '[^/]*?'
          : `(?<${p.placeholder}>${IMAGE_PLACEHOLDERS[p.placeholder as ImagePlaceholder] ?? '[^/]*?'})`,
    )
    .join('');
  re = new RegExp(`^(?:${source})$`, 'd'); // `d`: capture offsets for `spans`
  compiled.set(mapping, re);
  return re;
}

/**
 * The first mapping (in file order) whose pattern matches the whole image reference, with what it
 * captured; undefined when none matches. Matching is case-sensitive, as image references are.
 */
export function matchImage(mappings: readonly ImageMapping[], image: string): ImageMatch | undefined {
  if (image.length > MAX_IMAGE_LENGTH) return undefined;
  for (const mapping of mappings) {
    const m = regexOf(mapping).exec(image);
    if (!m) continue;
    const captures: Partial<Record<ImagePlaceholder, string>> = {};
    const spans: Partial<Record<ImagePlaceholder, { start: number; end: number }>> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) captures[k as ImagePlaceholder] = v;
    for (const [k, ix] of Object.entries(m.indices?.groups ?? {})) if (ix) spans[k as ImagePlaceholder] = { start: ix[0], end: ix[1] };
    if (mapping.processor && !captures.processor) captures.processor = mapping.processor;
    return { mapping, framework: mapping.framework, frameworkVersion: captures.framework_version ?? mapping.frameworkVersion, captures, spans };
  }
  return undefined;
}
