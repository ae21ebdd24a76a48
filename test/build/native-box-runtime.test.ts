// The allow-list of src/build/native-box-runtime.ts, proved against the archives each board
// links: for every symbol, the archive member that defines it (newlib-nano's libc, libgcc) and
// everything that member pulls in, transitively, has no data or bss of its own and calls
// nothing outside the list. So what a box may call needs no host state.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBoard } from '../../src/config/board.js';
import { boardLinkFlags } from '../../src/link/link.js';
import { bentoRoot } from '../../src/paths.js';
import { pureRuntimeSymbols, statefulLibcSymbols } from '../../src/build/native-box-runtime.js';

interface Archive {
  /** symbol -> defining member */
  defined: Map<string, string>;
  /** member -> undefined symbols */
  needs: Map<string, Set<string>>;
  /** member -> its data and bss symbols */
  data: Map<string, string[]>;
}

function readArchives(paths: readonly string[]): Archive {
  const a: Archive = { defined: new Map(), needs: new Map(), data: new Map() };
  for (const path of paths) {
    const out = execFileSync('arm-none-eabi-nm', ['-A', path], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    for (const line of out.split('\n')) {
      const m = /^(.+?):(.+?):\s*[0-9a-f]*\s+(\S)\s+(\S+)$/.exec(line);
      if (!m) continue;
      const member = `${path.split('/').pop()}(${m[2]})`;
      const [kind, name] = [m[3]!, m[4]!];
      if (kind === 'U' || kind === 'w') a.needs.set(member, new Set([...(a.needs.get(member) ?? []), name]));
      else if (/[TDBRWVC]/.test(kind) && !a.defined.has(name)) a.defined.set(name, member);
      if (/[dDbBC]/.test(kind)) a.data.set(member, [...(a.data.get(member) ?? []), name]);
    }
  }
  return a;
}

function multilibArchives(boardName: string): string[] {
  const board = loadBoard(join(bentoRoot, 'boards', `${boardName}.toml`));
  const flags = boardLinkFlags(board);
  const gcc = (arg: string) => execFileSync('arm-none-eabi-gcc', [...flags, '-specs=nano.specs', arg], { encoding: 'utf8' }).trim();
  return [gcc('-print-libgcc-file-name'), gcc('-print-file-name=libc_nano.a')];
}

describe.each(['m4', 'm7'])('the runtime a native box may call on %s', (boardName) => {
  const archive = readArchives(multilibArchives(boardName));

  it('is defined, keeps no state and calls only itself', () => {
    const problems: string[] = [];
    for (const name of pureRuntimeSymbols) {
      const first = archive.defined.get(name);
      if (!first) {
        problems.push(`${name}: defined nowhere`);
        continue;
      }
      const seen = new Set<string>();
      const todo = [first];
      while (todo.length > 0) {
        const member = todo.pop()!;
        if (seen.has(member)) continue;
        seen.add(member);
        const data = archive.data.get(member);
        if (data) problems.push(`${name}: ${member} has data ${data.join(', ')}`);
        for (const needed of archive.needs.get(member) ?? []) {
          if (!pureRuntimeSymbols.has(needed)) problems.push(`${name}: ${member} calls ${needed}`);
          const next = archive.defined.get(needed);
          if (next) todo.push(next);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('tells stateful functions apart (the check would find them)', () => {
    for (const name of ['printf', 'malloc', 'strtok', 'atoi']) {
      expect(statefulLibcSymbols.has(name)).toBe(true);
      expect(pureRuntimeSymbols.has(name)).toBe(false);
    }
  });
});
