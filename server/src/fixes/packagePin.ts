/**
 * Edits that move a package pin to another version while keeping its shape: only version texts
 * change; names, extras, markers, comments, hashes and spacing stay as written.
 *
 * | pin as written        | moved to 2.11.0             |
 * | --------------------- | --------------------------- |
 * | `==1.13.1` / `===…`   | `==2.11.0` (local `+cpu` kept) |
 * | `==1.13.*` / `==1.*`  | `==2.11.*`                  |
 * | `~=1.13.0` / `~=1.13` | `~=2.11.0`                  |
 * | `>=1.13,<1.14`        | `>=2.11,<2.12`              |
 * | `<=1.13.1`            | `<=2.11.0`                  |
 * | `^1.13` / `~1.13` (Poetry) | `^2.11` / `~2.11` (the implied upper bound follows) |
 * `!=` clauses are kept. A pin with only `>`/`>=` (no upper bound) is not moved: raising its
 * lower bound would not change the version it resolves to.
 */
import { explain } from '@renovatebot/pep440';
import type { PackagePin, TextEdit } from '../model';
import { detached } from '../text';

/** Version text with the same number of release components as `like` (`2.11.0` like `1.13` → `2.11`). */
function sameShape(target: string, like: string): string {
  const parts = target.split('.');
  const n = like.replace(/\+.*$/, '').split('.').filter((p) => /^\d+$/.test(p)).length;
  return parts.slice(0, Math.max(2, Math.min(n, parts.length))).join('.');
}

function nextMinor(target: string): string {
  const [maj, min] = target.split('.').map(Number);
  return `${maj}.${min + 1}`;
}

/**
 * Computes the edits that make `pin` resolve to `target` (a `major.minor.patch` release), or
 * undefined when the pin's shape cannot be moved safely or the pin is `locked` (a lock-file URL).
 */
export function packagePinEdits(pin: PackagePin, target: string): TextEdit[] | undefined {
  if (pin.locked) return undefined; // a lock-file URL names one file: regenerate the lock instead
  const clauses = pin.clauses.filter((c) => c.operator !== '!=');
  if (clauses.length === 0) return undefined;
  const edits: TextEdit[] = [];
  const hasUpper = clauses.some((c) => c.operator === '<' || c.operator === '<=');
  for (const c of clauses) {
    if (c.implied) continue; // the upper bound of a Poetry `^`/`~`: moving the written version moves it
    switch (c.operator) {
      case '==':
      case '===': {
        if (c.version.endsWith('.*')) {
          // conda's fuzzy `=1.13` (read as `1.13.*`) keeps its shape: `=2.11`
          const fuzzy = c.written !== undefined && !c.written.endsWith('*');
          edits.push({ range: c.versionRange, newText: fuzzy ? sameShape(target, '0.0') : `${sameShape(target, '0.0')}.*` });
        } else {
          const local = localPart(c.version);
          edits.push({ range: c.versionRange, newText: `${target}${local}` });
        }
        break;
      }
      case '~=':
        edits.push({ range: c.versionRange, newText: target });
        break;
      case '>=':
      case '>':
        if (!hasUpper) return undefined;
        edits.push({ range: c.versionRange, newText: c.operator === '>' ? sameShape(target, '0.0') : sameShape(target, c.version) });
        break;
      case '<':
        edits.push({ range: c.versionRange, newText: nextMinor(target) });
        break;
      case '<=':
        edits.push({ range: c.versionRange, newText: target });
        break;
      default:
        return undefined;
    }
  }
  // `>2.11` excludes 2.11.0 itself: only allow it when the target is a later patch
  if (clauses.some((c) => c.operator === '>') && !/\.[1-9]\d*$/.test(target)) return undefined;
  return edits;
}

function localPart(version: string): string {
  const i = version.indexOf('+');
  if (i < 0) return '';
  let valid = localValid.get(version);
  if (valid === undefined) {
    if (localValid.size >= 1000) localValid.clear();
    localValid.set(detached(version), (valid = Boolean(explain(version)))); // a key of its own, not a view of the document
  }
  return valid ? version.slice(i) : '';
}
/** Whether a version with a `+` is PEP 440 (memoised: the same pins recur). */
const localValid = new Map<string, boolean>();
