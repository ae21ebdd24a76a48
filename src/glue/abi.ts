// How a typed call crosses a box boundary: its arguments travel as 32-bit words laid out as the
// AAPCS lays them in r0-r3 (a 64-bit value takes an even-odd pair), in the registers when they
// are four or fewer and as a block of words otherwise; its result as a 64-bit r0:r1. These helpers give the C expressions that pack a typed value into words and
// unpack it again, for native C (pointers are addresses) and for Wasm (pointers are offsets).
import type { Param, ParamType, PrimitiveType, ResultType, Signature } from '../config/signature.js';
import { primitiveInfo } from '../config/signature.js';
import type { ValType } from '../wasm/types.js';

export type Domain = 'native' | 'wasm';

const isWide = (t: ParamType) => t.kind === 'primitive' && primitiveInfo(t.primitive).bytes === 8;

/** The first word of each parameter. */
export function wordLayout(sig: Signature): number[] {
  let used = 0;
  return sig.params.map((p) => {
    if (isWide(p.type)) used += used % 2;
    const at = used;
    used += isWide(p.type) ? 2 : 1;
    return at;
  });
}

/** Parameter names for generated C: the signature's, or a0, a1, ... */
export function paramNames(sig: Signature): string[] {
  const taken = new Set(sig.params.flatMap((p) => (p.name ? [p.name] : [])));
  return sig.params.map((p, i) => {
    let name = p.name;
    if (!name) {
      name = `a${i}`;
      while (taken.has(name)) name += '_';
      taken.add(name);
    }
    return name;
  });
}

/** The Wasm value type a primitive travels as (pointers are i32 offsets). */
export function wasmValType(t: ParamType): ValType {
  if (t.kind !== 'primitive') return 'i32';
  if (t.primitive === 'f32') return 'f32';
  if (t.primitive === 'f64') return 'f64';
  return primitiveInfo(t.primitive).bytes === 8 ? 'i64' : 'i32';
}

export function wasmResultTypes(result: ResultType): ValType[] {
  return result === 'void' || result === 'noreturn' ? [] : [wasmValType({ kind: 'primitive', primitive: result })];
}

const wasmC: Record<ValType, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double', v128: 'void', funcref: 'void *', externref: 'void *' };

/** The C type of a parameter in a domain. */
export function cParamType(t: ParamType, domain: Domain): string {
  if (domain === 'wasm') return wasmC[wasmValType(t)];
  if (t.kind === 'primitive') return primitiveInfo(t.primitive).c;
  if (t.kind === 'handle' || t.kind === 'callback') return t.name;
  return `${t.access === 'const' ? 'const ' : ''}${t.element.c} *`;
}

export function cResultType(result: ResultType, domain: Domain): string {
  if (result === 'void' || result === 'noreturn') return 'void';
  return domain === 'wasm' ? wasmC[wasmValType({ kind: 'primitive', primitive: result })] : primitiveInfo(result).c;
}

/** Statements storing `value` (of the parameter's C type in `domain`) into `w[at]` (and `w[at+1]`). */
export function packValue(t: ParamType, value: string, at: number, domain: Domain, w = 'w'): string {
  if (t.kind !== 'primitive') return `${w}[${at}] = (uint32_t)(uintptr_t)${value};`;
  const p = t.primitive;
  if (p === 'f32') return `${w}[${at}] = bento_f32_bits(${value});`;
  const wide = p === 'f64' ? `bento_f64_bits(${value})` : `(uint64_t)(${value})`;
  if (primitiveInfo(p).bytes === 8) return `${w}[${at}] = (uint32_t)${wide}; ${w}[${at + 1}] = (uint32_t)(${wide} >> 32);`;
  // Narrow integers are cut to their type first, whatever the domain passed them in.
  return `${w}[${at}] = (uint32_t)(${primitiveInfo(p).c})(${value});`;
}

/** The expression reading a parameter of `domain`'s C type from `w[at]` (and `w[at+1]`). */
export function unpackValue(t: ParamType, at: number, domain: Domain, w = 'w'): string {
  const wide = `((uint64_t)${w}[${at}] | ((uint64_t)${w}[${at + 1}] << 32))`;
  if (t.kind !== 'primitive') return domain === 'wasm' ? `(int32_t)${w}[${at}]` : `(${cParamType(t, 'native')})(uintptr_t)${w}[${at}]`;
  const p: PrimitiveType = t.primitive;
  if (p === 'f32') return `bento_bits_f32(${w}[${at}])`;
  if (p === 'f64') return `bento_bits_f64(${wide})`;
  const c = primitiveInfo(p).c;
  if (p === 'bool') return domain === 'wasm' ? `(int32_t)(${w}[${at}] != 0)` : `(${w}[${at}] != 0)`;
  if (primitiveInfo(p).bytes === 8) return `(${c})${wide}`;
  return domain === 'wasm' ? `(int32_t)(${c})${w}[${at}]` : `(${c})${w}[${at}]`;
}

/** Every parameter packed into `w` from word `base` on (after a selector word, 1), as C statements. */
export function packParams(sig: Signature, names: readonly string[], domain: Domain, base = 0): string[] {
  const layout = wordLayout(sig);
  return sig.params.map((p: Param, i) => packValue(p.type, names[i]!, layout[i]! + base, domain));
}

/** The argument list unpacked from `w`. */
export function unpackParams(sig: Signature, domain: Domain): string[] {
  const layout = wordLayout(sig);
  return sig.params.map((p, i) => unpackValue(p.type, layout[i]!, domain));
}

/** Argument words of a call: the last parameter's first word plus its width. */
export function wordCount(sig: Signature): number {
  const layout = wordLayout(sig);
  if (layout.length === 0) return 0;
  const last = sig.params[sig.params.length - 1]!;
  return layout[layout.length - 1]! + (isWide(last.type) ? 2 : 1);
}

/** Bytes a block of `words` words takes on a stack (8-byte aligned). */
export const blockBytes = (words: number) => Math.ceil((words * 4) / 8) * 8;

/** A statement returning the call `call` as a uint64_t result, or just making it for void. */
export function returnPacked(result: ResultType, call: string, domain: Domain): string {
  if (result === 'void' || result === 'noreturn') return `${call};\n    return 0;`;
  const t: ParamType = { kind: 'primitive', primitive: result };
  return `const ${cResultType(result, domain)} v = ${call};\n    uint32_t r[2] = { 0, 0 };\n    ${packValue(t, 'v', 0, domain, 'r')}\n    return (uint64_t)r[0] | ((uint64_t)r[1] << 32);`;
}

/** The typed result of a uint64_t `r` (or nothing for void). */
export function returnUnpacked(result: ResultType, domain: Domain): string {
  if (result === 'void' || result === 'noreturn') return '(void)r;';
  const t: ParamType = { kind: 'primitive', primitive: result };
  return `const uint32_t rw[2] = { (uint32_t)r, (uint32_t)(r >> 32) };\n    return ${unpackValue(t, 0, domain, 'rw')};`;
}
