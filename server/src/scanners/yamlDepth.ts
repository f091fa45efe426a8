/**
 * A guard before handing text to the `yaml` parser. The parser recurses once per nesting level and
 * overflows the stack between about 700 and 2,000 levels (flow collections `{{{…`, `[[[…`, block
 * mappings indented one more space per level, `- - - …`); the overflow is caught inside the
 * parser, but when V8 has to compile a regular expression at that moment it stops the whole process
 * ("RegExpCompiler Allocation failed - process out of memory": seen on Node 20 with `{` repeated
 * 1,000 times, parsed twice). Texts nested deeper than {@link MAX_YAML_NESTING} are therefore not
 * parsed; the scanners say so in a note.
 */

/** The deepest nesting the scanners give the YAML parser. Real files stay far below (Kubernetes manifests: about 10). */
export const MAX_YAML_NESTING = 400;

/**
 * An upper bound of how deep the YAML of `text` nests, in one pass without regular expressions: at
 * each line, its indentation (spaces) plus two for each block indicator (`- `, `? `, `: `) before its
 * content, plus the flow collections (`[`, `{`) open at that point. Brackets are counted everywhere
 * but in comments (also inside quoted scalars: an over-estimate, which only errs on the side of not
 * parsing); a document marker (`---`) closes every flow collection.
 */
export function yamlNestingBound(text: string): number {
  const n = text.length;
  let max = 0;
  let flow = 0;
  let i = 0;
  while (i < n) {
    let block = 0;
    while (i < n && text.charCodeAt(i) === 32) {
      block++;
      i++;
    }
    if (text.startsWith('---', i) && block === 0) flow = 0;
    // block indicators before the content: `- - key: value`, `? key`
    while (i + 1 < n && (text[i] === '-' || text[i] === '?' || text[i] === ':') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
      block += 2;
      i += 2;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    }
    max = Math.max(max, block + flow);
    for (; i < n; i++) {
      const c = text[i];
      if (c === '\n' || c === '\r') break;
      if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
        break;
      }
      if (c === '[' || c === '{') max = Math.max(max, block + ++flow);
      else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    i++;
  }
  return max;
}

/** The note's message for a text nested too deeply to parse. */
export function tooDeepMessage(what: string): string {
  return `${what} not read: it nests more than ${MAX_YAML_NESTING} levels deep`;
}
