// What the linkers say when a symbol is missing, read into data: GNU ld (through
// arm-none-eabi-gcc) for images, wasm-ld (through clang-14) for Wasm boxes. What is not about a
// missing symbol is kept, line by line, for bento to show after its own message.

/** One use of a symbol nothing defines. */
export interface UndefinedReference {
  symbol: string;
  /** The object that uses it, as the linker names it. */
  object?: string;
  /** The source and line, when the object has debug information (GNU ld). */
  source?: string;
  line?: number;
  /** The function that uses it (GNU ld). */
  function?: string;
}

export interface LinkerReport {
  undefined: UndefinedReference[];
  /** The lines that say something else, in order. */
  rest: string[];
}

/** `…/arm-none-eabi/bin/ld: ` or `wasm-ld-14: ` at the start of a line. */
const linkerPrefix = /^\S*\b(?:ld|wasm-ld)(?:-\d+)?: /;
/** Lines that only say that the link failed, which bento's own message says too. */
const summaryLine = /^collect2: error: ld returned \d+ exit status$|^clang(?:-\d+)?: error: linker command failed with exit code \d+/;

/**
 * GNU ld: `obj.o: in function `main':` then `main.c:12: undefined reference to `foo'` (with
 * debug information) or `main.c:(.text.main+0x8): undefined reference to `foo'` (without).
 */
export function readGnuLdOutput(text: string): LinkerReport {
  const report: LinkerReport = { undefined: [], rest: [] };
  let context: { object: string; function: string; line: string; used: boolean } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(linkerPrefix, '');
    if (line.trim() === '' || summaryLine.test(line)) continue;
    const inFunction = /^(.+): in function `(.+)':$/.exec(line);
    if (inFunction) {
      if (context && !context.used) report.rest.push(context.line);
      context = { object: inFunction[1]!, function: inFunction[2]!, line: raw, used: false };
      continue;
    }
    const more = /^(.+): more undefined references to `(.+)' follow$/.exec(line);
    if (more) continue;
    const withLine = /^(.+):(\d+): undefined reference to `(.+)'$/.exec(line);
    const withSection = /^(.+):\(([^)]+)\): undefined reference to `(.+)'$/.exec(line);
    const bare = /^(.+): undefined reference to `(.+)'$/.exec(line);
    if (context && (withLine || withSection || bare)) context.used = true;
    if (withLine) {
      report.undefined.push({ symbol: withLine[3]!, source: withLine[1]!, line: Number(withLine[2]), ...fromContext(context) });
    } else if (withSection) {
      report.undefined.push({ symbol: withSection[3]!, ...fromContext(context), object: context?.object ?? withSection[1]! });
    } else if (bare) {
      report.undefined.push({ symbol: bare[2]!, object: bare[1]!, ...(context ? { function: context.function } : {}) });
    } else {
      // Something else about the same function (a relocation overflow): keep its heading.
      if (context && !context.used) report.rest.push(context.line);
      context = undefined;
      report.rest.push(raw);
    }
  }
  if (context && !context.used) report.rest.push(context.line);
  return report;
}

const fromContext = (context: { object: string; function: string } | undefined) => (context ? { object: context.object, function: context.function } : {});

/** wasm-ld: `wasm-ld-14: error: b.o: undefined symbol: helper`. */
export function readWasmLdOutput(text: string): LinkerReport {
  const report: LinkerReport = { undefined: [], rest: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(linkerPrefix, '');
    if (line.trim() === '' || summaryLine.test(line)) continue;
    const m = /^error: (.+): undefined symbol: (.+)$/.exec(line);
    if (m) report.undefined.push({ symbol: m[2]!, object: m[1]! });
    else report.rest.push(raw);
  }
  return report;
}
