// Function attributes llvm-bindings cannot set, added to the printed module before opt reads it.
//
// - "disable-tail-calls": Wasm requires unbounded recursion to exhaust the stack and trap. LLVM
//   would otherwise turn self-recursion into a loop (tail-recursion elimination) and calls in
//   tail position into jumps, so `(func $f (call $f))` would spin forever instead of trapping.
// - nounwind: Wasm code never unwinds; without it every function gets an .ARM.exidx entry.
// - noreturn cold on bento_wasm_trap: trap paths move out of the hot code.

const functionGroup = 4242;
const trapGroup = 4243;

export function addFunctionAttributes(ir: string): string {
  const lines = ir.split('\n').map((line) => {
    // The group goes before metadata attachments (` !dbg !12`), which end a definition's header.
    if (line.startsWith('define ') && line.endsWith(' {') && !/\) #\d+( ![^(]*)? \{$/.test(line)) return line.replace(/( ![a-z]+ ![0-9]+)* \{$/, (attached) => ` #${functionGroup}${attached}`);
    if (line.startsWith('declare void @bento_wasm_trap(') && !/#\d+$/.test(line)) return `${line} #${trapGroup}`;
    return line;
  });
  lines.push(`attributes #${functionGroup} = { nounwind "disable-tail-calls"="true" }`);
  lines.push(`attributes #${trapGroup} = { noreturn nounwind cold }`);
  return lines.join('\n');
}
