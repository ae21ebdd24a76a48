import { existsSync } from 'node:fs';

/** An external program or file bento needs, with the Debian package that provides it. */
export interface ToolCheck {
  name: string;
  package: string;
  /** A program to run with `versionArgs`, or a file that must exist. */
  command?: string;
  versionArgs?: readonly string[];
  /** The first match of this pattern in the output is the version shown. */
  versionPattern?: RegExp;
  /** Accepted versions (checked against the matched version). */
  accept?: (version: string) => boolean;
  file?: string;
  purpose: string;
}

const major = (n: number) => (v: string) => Number(v.split('.')[0]) === n;
const atLeast = (n: number) => (v: string) => Number(v.split('.')[0]) >= n;

export const tools = {
  clang: { name: 'clang-14', package: 'clang-14', command: 'clang-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'compiles C for Thumb and for wasm32' },
  opt: { name: 'opt-14', package: 'llvm-14', command: 'opt-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'optimises Wasm boxes' },
  llc: { name: 'llc-14', package: 'llvm-14', command: 'llc-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'generates Thumb code for Wasm boxes' },
  llvmDis: { name: 'llvm-dis-14', package: 'llvm-14', command: 'llvm-dis-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'writes LLVM IR for --emit-llvm' },
  llvmSplit: { name: 'llvm-split-14', package: 'llvm-14', command: 'llvm-split-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'splits large Wasm boxes into parts compiled in parallel' },
  llvmLink: { name: 'llvm-link-14', package: 'llvm-14', command: 'llvm-link-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'joins the parts of a large Wasm box for --emit-llvm' },
  llvmConfig: { name: 'llvm-config-14', package: 'llvm-14-dev', command: 'llvm-config-14', versionArgs: ['--version'], versionPattern: /(\d+\.\d+\.\d+)/, accept: major(14), purpose: 'lets npm build llvm-bindings' },
  lld: { name: 'ld.lld-14', package: 'lld-14', command: 'ld.lld-14', versionArgs: ['--version'], versionPattern: /LLD (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'links wasm32 programs' },
  cmake: { name: 'cmake', package: 'cmake', command: 'cmake', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: atLeast(3), purpose: 'builds llvm-bindings' },
  gcc: { name: 'arm-none-eabi-gcc', package: 'gcc-arm-none-eabi', command: 'arm-none-eabi-gcc', versionArgs: ['--version'], versionPattern: /(\d+\.\d+\.\d+)/, accept: atLeast(10), purpose: 'links firmware images against newlib and libgcc' },
  objcopy: { name: 'arm-none-eabi-objcopy', package: 'gcc-arm-none-eabi', command: 'arm-none-eabi-objcopy', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'writes raw .bin images' },
  ld: { name: 'arm-none-eabi-ld', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-ld', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'combines a native box\'s objects into one' },
  ar: { name: 'arm-none-eabi-ar', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-ar', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: "gathers native boxes' C library into archives" },
  nm: { name: 'arm-none-eabi-nm', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-nm', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'reads symbols of native boxes' },
  objdump: { name: 'arm-none-eabi-objdump', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-objdump', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'reads the calls of compiled Wasm boxes (their native stack)' },
  llvmReadelf: { name: 'llvm-readelf-14', package: 'llvm-14', command: 'llvm-readelf-14', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: major(14), purpose: 'reads the frame sizes llc records for Wasm boxes (.stack_sizes)' },
  readelf: { name: 'arm-none-eabi-readelf', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-readelf', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'reads the sections of native boxes' },
  addr2line: { name: 'arm-none-eabi-addr2line', package: 'binutils-arm-none-eabi', command: 'arm-none-eabi-addr2line', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'names the function and line of a fault report\'s PC and LR (bento run)' },
  size: { name: 'arm-none-eabi-size', package: 'gcc-arm-none-eabi', command: 'arm-none-eabi-size', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'measures section sizes' },
  newlib: { name: 'newlib', package: 'libnewlib-arm-none-eabi', file: '/usr/lib/arm-none-eabi/include/stdio.h', purpose: 'C library for firmware' },
  qemu: { name: 'qemu-system-arm', package: 'qemu-system-arm', command: 'qemu-system-arm', versionArgs: ['--version'], versionPattern: /version (\d+\.\d+\.\d+)/, accept: atLeast(7), purpose: 'emulates the boards' },
  gdb: { name: 'gdb-multiarch', package: 'gdb-multiarch', command: 'gdb-multiarch', versionArgs: ['--version'], versionPattern: /(\d+\.\d+)/, purpose: 'debugs firmware on the emulator (bento run --gdb)' },
  wat2wasm: { name: 'wat2wasm', package: 'wabt', command: 'wat2wasm', versionArgs: ['--version'], versionPattern: /(\d+\.\d+\.\d+)/, purpose: 'reads .wat box sources' },
  wasm2c: { name: 'wasm2c', package: 'wabt', command: 'wasm2c', versionArgs: ['--version'], versionPattern: /(\d+\.\d+\.\d+)/, purpose: 'the wasm2c peer in bento bench' },
  wast2json: { name: 'wast2json', package: 'wabt', command: 'wast2json', versionArgs: ['--version'], versionPattern: /(\d+\.\d+\.\d+)/, purpose: 'converts the Wasm spec tests' },
  wasiLibc: { name: 'wasi-libc', package: 'wasi-libc', file: '/usr/lib/wasm32-wasi/libc.a', purpose: 'C library for wasm32-wasi boxes' },
  wasmBuiltins: { name: 'clang_rt wasm32 builtins', package: 'libclang-rt-14-dev-wasm32', file: '/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a', purpose: 'compiler runtime for wasm32' },
  wasmOpt: { name: 'wasm-opt', package: 'binaryen', command: 'wasm-opt', versionArgs: ['--version'], versionPattern: /(\d+)/, purpose: 'generates fuzz modules' },
  stm32flash: { name: 'stm32flash', package: 'stm32flash', command: 'stm32flash', versionArgs: ['-h'], versionPattern: /stm32flash (\S+)/, purpose: 'cross-checks the serial bootloader' },
} satisfies Record<string, ToolCheck>;

export type ToolName = keyof typeof tools;

export function fileExists(path: string): boolean {
  return existsSync(path);
}
