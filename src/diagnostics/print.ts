import type { Diagnostic, SourceLocation } from './error.js';

export function formatLocation(loc: SourceLocation): string {
  let text = loc.file;
  if (loc.line !== undefined) {
    text += `:${loc.line}`;
    if (loc.column !== undefined) text += `:${loc.column}`;
  }
  if (loc.offset !== undefined) text += `+0x${loc.offset.toString(16)}`;
  if (loc.context) text += ` (${loc.context})`;
  return text;
}

/** `bento.toml:12:5: error[B1001]: unknown key 'stak'` followed by an indented hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}error[${d.code}]: ${d.message}${hint}`;
}
