import { isAbsolute, relative } from 'node:path';
import type { Diagnostic, SourceLocation } from './error.js';

/** A file as the user names it: relative to the current folder when it lies inside it, as compilers print theirs. */
function shownFile(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

export function formatLocation(loc: SourceLocation): string {
  let text = shownFile(loc.file);
  if (loc.line !== undefined) {
    text += `:${loc.line}`;
    if (loc.column !== undefined) text += `:${loc.column}`;
  }
  if (loc.offset !== undefined) text += `+0x${loc.offset.toString(16)}`;
  if (loc.context) text += ` (${loc.context})`;
  return text;
}

const paint = (code: string, text: string) => `\x1b[${code}m${text}\x1b[0m`;

/**
 * `bento.toml:12:5: error[B1001]: unknown key 'stak'` followed by an indented hint; with
 * `colour`, the location bold, "error" red and "hint" cyan, as compilers print theirs.
 */
export function formatDiagnostic(d: Diagnostic, colour = false): string {
  const c = colour ? paint : (_: string, text: string) => text;
  const where = d.location ? `${c('1', formatLocation(d.location))}: ` : '';
  const hint = d.hint ? `\n  ${c('36', 'hint')}: ${d.hint}` : '';
  return `${where}${c('1;31', `error[${d.code}]`)}: ${d.message}${hint}`;
}
