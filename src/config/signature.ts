// The type grammar of box imports and exports, after bento-linker:
//
//   signature := 'fn' '(' [ params ] ')' [ '->' result ]
//   params    := 'void' | param { ',' param }
//   param     := type [ name ] | name ':' type
//   type      := primitive | handle | callback | [ 'nullable' ] ( 'const' | 'mut' ) element ( '*' | '[' length ']' )
//   element   := primitive | struct | handle        (struct, handle, callback: names from the recipe's [types])
//   length    := integer | name            (elements; a name is an integer parameter's)
//   result    := primitive | 'void' | 'noreturn' | '(' [ result ] ')'
//
// For example `fn(i32, const u8[size], usize size) -> errsize`. Parsing checks everything a
// box boundary needs: pointers say whether the callee may write through them, array lengths
// name integer parameters, structs go by pointer, and the arguments fit in the link's words.
import { BentoError } from '../diagnostics/error.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';

/** Argument words of one cross-box call: four travel in r0-r3, longer calls as a block of words. */
export const MAX_ARGUMENT_WORDS = 32;
/** Pointer and array parameters of one call: each is a checked (and copied) range. */
export const MAX_POINTER_PARAMS = 16;
/** Words that travel in registers; a call with more goes as a block (bento/link.h). */
export const REGISTER_WORDS = 4;

export type IntegerType = 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64' | 'isize' | 'usize';
export type ErrType = 'err32' | 'err64' | 'errsize';
export type PrimitiveType = 'bool' | IntegerType | 'f32' | 'f64' | ErrType;
export type Access = 'const' | 'mut';

/** An array's length in elements: a constant, or the value of another parameter. */
export type ArrayLength = { readonly kind: 'const'; readonly n: number } | { readonly kind: 'param'; readonly name: string; readonly index: number };

/** What a pointer or array points at: a primitive, a struct or a handle, with its size and C name. */
export interface ElementType {
  readonly name: string;
  readonly bytes: number;
  readonly c: string;
}

export type ParamType =
  | { readonly kind: 'primitive'; readonly primitive: PrimitiveType }
  /** An opaque reference a box hands out to one of its objects ([types] name = "handle"). */
  | { readonly kind: 'handle'; readonly name: string }
  /** A function to call back, as a token ([types] name = "fn(...)"); see `callbackTypes`. */
  | { readonly kind: 'callback'; readonly name: string }
  /** `const T*`: a pointer to one T. */
  | { readonly kind: 'pointer'; readonly access: Access; readonly nullable: boolean; readonly element: ElementType }
  /** `const T[N]`, `mut T[len]`. */
  | { readonly kind: 'array'; readonly access: Access; readonly nullable: boolean; readonly element: ElementType; readonly length: ArrayLength };

/** A field of a struct type: laid out as C lays it out on both wasm32 and Arm (natural alignment). */
export type FieldType =
  | { readonly kind: 'primitive'; readonly primitive: PrimitiveType }
  | { readonly kind: 'struct'; readonly name: string }
  | { readonly kind: 'handle'; readonly name: string }
  | { readonly kind: 'array'; readonly element: FieldType; readonly n: number };

export interface StructField {
  readonly name: string;
  readonly type: FieldType;
  readonly offset: number;
  readonly bytes: number;
}

/** A type the recipe names in `[types]`. */
export type NamedType =
  | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly StructField[]; readonly bytes: number; readonly align: number }
  | { readonly kind: 'handle'; readonly name: string; readonly capacity: number }
  | { readonly kind: 'callback'; readonly name: string; readonly signature: Signature };

/** The recipe's named types, by name. */
export type TypeTable = ReadonlyMap<string, NamedType>;
const NO_TYPES: TypeTable = new Map();

export interface Param {
  readonly name?: string;
  readonly type: ParamType;
}

export type ResultType = PrimitiveType | 'void' | 'noreturn';

export interface Signature {
  readonly params: readonly Param[];
  readonly result: ResultType;
}

/** A memory range a caller hands over: `elementSize * length` bytes from the pointer. */
export interface PointerRange {
  /** Index of the pointer or array parameter. */
  readonly param: number;
  readonly name?: string;
  readonly access: Access;
  readonly nullable: boolean;
  readonly elementSize: number;
  /** In elements. A pointer `T*` has the constant length 1. */
  readonly length: { readonly kind: 'const'; readonly n: number } | { readonly kind: 'param'; readonly index: number; readonly name: string; readonly type: IntegerType };
}

const PRIMITIVES: Readonly<Record<PrimitiveType, { bytes: number; c: string }>> = {
  bool: { bytes: 1, c: 'bool' },
  i8: { bytes: 1, c: 'int8_t' },
  i16: { bytes: 2, c: 'int16_t' },
  i32: { bytes: 4, c: 'int32_t' },
  i64: { bytes: 8, c: 'int64_t' },
  u8: { bytes: 1, c: 'uint8_t' },
  u16: { bytes: 2, c: 'uint16_t' },
  u32: { bytes: 4, c: 'uint32_t' },
  u64: { bytes: 8, c: 'uint64_t' },
  isize: { bytes: 4, c: 'ssize_t' },
  usize: { bytes: 4, c: 'size_t' },
  f32: { bytes: 4, c: 'float' },
  f64: { bytes: 8, c: 'double' },
  err32: { bytes: 4, c: 'int32_t' },
  err64: { bytes: 8, c: 'int64_t' },
  errsize: { bytes: 4, c: 'ssize_t' },
};
const PRIMITIVE_NAMES = Object.keys(PRIMITIVES) as PrimitiveType[];
const INTEGER_TYPES: ReadonlySet<string> = new Set<IntegerType>(['i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'isize', 'usize']);
const ERR_TYPES: ReadonlySet<string> = new Set<ErrType>(['err32', 'err64', 'errsize']);
/** How each primitive may be written; `err` is `err32`. */
const SPELLINGS: ReadonlyMap<string, PrimitiveType> = new Map<string, PrimitiveType>([...PRIMITIVE_NAMES.map((p) => [p, p] as const), ['err', 'err32']]);
/** C spellings people reach for, and what to write instead. */
const C_SPELLINGS: Readonly<Record<string, string>> = {
  int: 'i32', unsigned: 'u32', long: 'i32', short: 'i16', char: 'u8', float: 'f32', double: 'f64', _Bool: 'bool',
  int8_t: 'i8', int16_t: 'i16', int32_t: 'i32', int64_t: 'i64', uint8_t: 'u8', uint16_t: 'u16', uint32_t: 'u32', uint64_t: 'u64',
  size_t: 'usize', ssize_t: 'isize',
};
const QUALIFIERS: ReadonlySet<string> = new Set(['nullable', 'const', 'mut']);
const RESERVED: ReadonlySet<string> = new Set([...SPELLINGS.keys(), ...QUALIFIERS, 'void', 'noreturn', 'fn']);
/** Names that would break the C prototype: C keywords and the typedefs it uses. */
const C_RESERVED: ReadonlySet<string> = new Set([
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
  'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
  'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'true', 'false', 'NULL',
  ...Object.values(PRIMITIVES).map((p) => p.c),
]);
const TYPES_HINT = `the types are ${PRIMITIVE_NAMES.join(', ')} (err is err32)`;
const EXAMPLE = "a signature looks like 'fn(i32, const u8[len], usize len) -> err'";

const words = (t: ParamType): number => (t.kind === 'primitive' && PRIMITIVES[t.primitive].bytes === 8 ? 2 : 1);
const primitiveElement = (p: PrimitiveType): ElementType => ({ name: p, bytes: PRIMITIVES[p].bytes, c: PRIMITIVES[p].c });

interface Token {
  kind: 'ident' | 'number' | 'punct' | 'end';
  text: string;
  offset: number;
}

function tokenize(text: string, fatal: (offset: number, message: string, hint?: string) => never): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|([0-9][A-Za-z0-9_]*)|(->|[()[\],*:]))/y;
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      const rest = /\s*/y;
      rest.lastIndex = at;
      rest.exec(text);
      const offset = rest.lastIndex;
      if (offset >= text.length) break;
      const ch = text[offset]!;
      const hint = ch === '&' ? "references are written 'const T*' or 'mut T*'" : EXAMPLE;
      fatal(offset, `unexpected '${ch}' at column ${offset + 1}`, hint);
    }
    const word = m[1] ?? m[2] ?? m[3]!;
    tokens.push({ kind: m[1] ? 'ident' : m[2] ? 'number' : 'punct', text: word, offset: m.index + m[0].length - word.length });
    at = re.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return tokens;
}

const describe = (t: Token): string => (t.kind === 'end' ? 'the end' : `'${t.text}'`);

/** A parameter while parsing: lengths still refer to names, positions kept for errors. */
interface Draft {
  name?: Token;
  type?: ParamType;
  length?: Token;
  /** A bare `void`, which only `fn(void)` allows. */
  void?: true;
  offset: number;
}

class SignatureParser {
  private readonly problems: Diagnostic[] = [];
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly where: { file: string; line?: number; column?: number } | undefined,
    private readonly types: TypeTable = NO_TYPES,
  ) {
    this.tokens = tokenize(text, (offset, message, hint) => this.fatal(offset, message, hint));
  }

  private report(offset: number, message: string, hint?: string): void {
    const d: Diagnostic = { code: 'B1008', message };
    if (hint) d.hint = hint;
    if (this.where) {
      const location: SourceLocation = { file: this.where.file };
      if (this.where.line !== undefined) location.line = this.where.line;
      if (this.where.column !== undefined) location.column = this.where.column + offset;
      d.location = location;
    }
    this.problems.push(d);
  }

  /** A syntax error: nothing after it can be trusted, so stop with what we have. */
  private fatal(offset: number, message: string, hint?: string): never {
    this.report(offset, message, hint);
    throw new BentoError(this.problems);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind !== 'end' && t.kind !== 'number' && t.text === text;
  }

  private expect(text: string, hint?: string): Token {
    const t = this.peek();
    if (!this.is(text)) this.fatal(t.offset, `expected '${text}' at column ${t.offset + 1}, found ${describe(t)}`, hint);
    return this.next();
  }

  parse(): Signature {
    const fn = this.peek();
    if (!this.is('fn')) this.fatal(fn.offset, `expected 'fn' at column ${fn.offset + 1}, found ${describe(fn)}`, EXAMPLE);
    this.next();
    this.expect('(', EXAMPLE);
    let drafts: Draft[] = [];
    if (!this.is(')')) {
      for (;;) {
        drafts.push(this.param());
        if (this.is(')')) break;
        const t = this.peek();
        if (!this.is(',')) this.fatal(t.offset, `expected ',' or ')' at column ${t.offset + 1}, found ${describe(t)}`, 'parameters are separated by commas and a name follows its type');
        this.next();
      }
    }
    this.next();
    drafts = this.voidParams(drafts);
    const result = this.result();
    const end = this.peek();
    if (end.kind !== 'end') {
      const hint = SPELLINGS.has(end.text) && result === 'void' ? `write '-> ${end.text}' for a result` : 'a signature ends with its result type';
      this.fatal(end.offset, `unexpected ${describe(end)} after the signature at column ${end.offset + 1}`, hint);
    }
    const params = this.resolve(drafts);
    if (this.problems.length === 0) this.checkWords(params, drafts);
    if (this.problems.length > 0) throw new BentoError(this.problems);
    return { params, result };
  }

  private param(): Draft {
    const start = this.peek();
    if (start.kind === 'ident' && !RESERVED.has(start.text) && this.is(':', 1)) {
      const name = this.next();
      this.next();
      const draft = this.type();
      this.checkName(name);
      return { ...draft, name, offset: start.offset };
    }
    if (start.kind === 'ident' && !RESERVED.has(start.text) && this.peek(1).kind === 'ident' && RESERVED.has(this.peek(1).text)) {
      // `size usize`: a name before its type without bento-linker's colon.
      const name = this.next();
      const from = this.peek().offset;
      const draft = this.type();
      const last = this.tokens[this.pos - 1]!;
      const type = this.text.slice(from, last.offset + last.text.length);
      this.report(name.offset, `'${name.text}' is not a type at column ${name.offset + 1}; a parameter's name follows its type`, `write '${type} ${name.text}' or '${name.text}: ${type}'`);
      this.checkName(name);
      return { ...draft, name, offset: start.offset };
    }
    const draft = this.type();
    if (this.peek().kind === 'ident') {
      const name = this.next();
      if (RESERVED.has(name.text)) this.fatal(name.offset, `expected ',' or ')' at column ${name.offset + 1}, found ${describe(name)}`, 'parameters are separated by commas and a name follows its type');
      this.checkName(name);
      return { ...draft, name, offset: start.offset };
    }
    return { ...draft, offset: start.offset };
  }

  private checkName(name: Token): void {
    if (C_RESERVED.has(name.text) || /^_[A-Z_]/.test(name.text)) {
      this.report(name.offset, `'${name.text}' cannot name a parameter at column ${name.offset + 1}`, 'it is reserved in C, and the name appears in the generated C prototype');
    }
  }

  /** `fn(void)` means no parameters, as in C; `void` anywhere else is an error. */
  private voidParams(drafts: Draft[]): Draft[] {
    const voids = drafts.filter((d) => d.void);
    if (voids.length === 0) return drafts;
    if (drafts.length === 1 && !drafts[0]!.name) return [];
    for (const d of voids) this.report(d.offset, `'void' is not a parameter type at column ${d.offset + 1}`, "'fn(void)' alone means no parameters; use 'const u8*' for untyped memory");
    return drafts.filter((d) => !voids.includes(d));
  }

  private type(): Omit<Draft, 'offset'> {
    let nullable = this.is('nullable') ? this.next() : undefined;
    const access = this.is('const') || this.is('mut') ? this.next() : undefined;
    if (!nullable && access && this.is('nullable')) {
      nullable = this.next();
      this.report(nullable.offset, `'nullable' must come before '${access.text}' at column ${nullable.offset + 1}`, `write 'nullable ${access.text} ...'`);
    }
    const t = this.peek();
    if (t.kind !== 'ident' || QUALIFIERS.has(t.text)) this.fatal(t.offset, `expected a type at column ${t.offset + 1}, found ${describe(t)}`, this.typesHint());
    this.next();
    const named = this.types.get(t.text);
    let element: ElementType | undefined = SPELLINGS.has(t.text) ? primitiveElement(SPELLINGS.get(t.text)!) : undefined;
    let known = element !== undefined;
    if (t.text === 'void') {
      if (!nullable && !access && !this.is('*') && !this.is('[')) return { void: true };
      this.report(t.offset, `'void' is not an element type at column ${t.offset + 1}`, "use 'const u8*' or 'mut u8[len]' for untyped memory");
      known = false;
    } else if (t.text === 'noreturn') {
      this.report(t.offset, `'noreturn' is only a result, not a parameter type, at column ${t.offset + 1}`);
      known = false;
    } else if (named) {
      known = true;
      if (named.kind === 'struct') element = { name: named.name, bytes: named.bytes, c: named.name };
      if (named.kind === 'handle') element = { name: named.name, bytes: 4, c: named.name };
    } else if (!known) {
      this.unknownType(t, [...PRIMITIVE_NAMES, ...this.types.keys()]);
    }

    const shape = this.is('*') ? 'pointer' : this.is('[') ? 'array' : 'primitive';
    if (shape === 'primitive') {
      if (access) this.report(access.offset, `'${access.text}' applies only to pointers and arrays, at column ${access.offset + 1}`, `write '${access.text} ${t.text}*' for a pointer to one value, or drop '${access.text}'`);
      if (nullable) this.report(nullable.offset, `'nullable' applies only to pointers and arrays, at column ${nullable.offset + 1}`);
      if (named?.kind === 'struct') {
        this.report(t.offset, `struct '${t.text}' is passed by pointer, at column ${t.offset + 1}`, `write 'const ${t.text}*' (or 'mut ${t.text}*' if the callee fills it in)`);
        return {};
      }
      if (named?.kind === 'handle') return { type: { kind: 'handle', name: named.name } };
      if (named?.kind === 'callback') return { type: { kind: 'callback', name: named.name } };
      return known && element ? { type: { kind: 'primitive', primitive: SPELLINGS.get(t.text)! } } : {};
    }
    if (named?.kind === 'callback') {
      this.report(t.offset, `callback '${t.text}' is passed by value, not through a pointer, at column ${t.offset + 1}`, `write '${t.text}' alone`);
      known = false;
    }
    element ??= primitiveElement('u8');
    const mode: Access = access?.text === 'mut' ? 'mut' : 'const';
    if (shape === 'pointer') {
      this.next();
      if (this.is('*')) {
        const star = this.next();
        this.report(star.offset, `pointers to pointers are not supported, at column ${star.offset + 1}`, 'a box can only pass ranges of its own memory; pass an array of offsets instead');
        while (this.is('*')) this.next();
      }
      if (!access) this.noAccess(t, 'pointer');
      return known ? { type: { kind: 'pointer', access: mode, nullable: !!nullable, element } } : {};
    }
    if (!access) this.noAccess(t, 'array');
    this.next();
    const len = this.peek();
    if (len.kind !== 'number' && (len.kind !== 'ident' || RESERVED.has(len.text))) {
      this.fatal(len.offset, `expected an array length at column ${len.offset + 1}, found ${describe(len)}`, "a length is a number of elements or the name of an integer parameter, as in 'const u8[len], usize len'");
    }
    this.next();
    this.expect(']');
    if (len.kind === 'ident') return known ? { type: { kind: 'array', access: mode, nullable: !!nullable, element, length: { kind: 'param', name: len.text, index: -1 } }, length: len } : { length: len };
    const n = /^(0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/.test(len.text) ? Number(len.text) : NaN;
    if (Number.isNaN(n)) this.report(len.offset, `'${len.text}' is not a number at column ${len.offset + 1}`, 'write a decimal or 0x hexadecimal element count');
    else if (n < 1) this.report(len.offset, `an array needs at least one element, at column ${len.offset + 1}`);
    else if (n * element.bytes >= 2 ** 32) this.report(len.offset, `${n} elements of ${element.bytes} byte(s) do not fit in the 4 GiB address space, at column ${len.offset + 1}`);
    else if (known) return { type: { kind: 'array', access: mode, nullable: !!nullable, element, length: { kind: 'const', n } } };
    return {};
  }

  /** A pointer or array must say whether the callee may write through it. */
  private noAccess(t: Token, shape: 'pointer' | 'array'): void {
    const written = shape === 'pointer' ? `${t.text}*` : `${t.text}[...]`;
    this.report(t.offset, `${shape === 'pointer' ? 'a pointer' : 'an array'} needs 'const' or 'mut' at column ${t.offset + 1}`, `write 'const ${written}' if the callee only reads it, 'mut ${written}' if it may write it`);
  }

  private typesHint(): string {
    return this.types.size > 0 ? `${TYPES_HINT}; the recipe's [types]: ${[...this.types.keys()].join(', ')}` : TYPES_HINT;
  }

  private unknownType(t: Token, candidates: readonly string[]): void {
    const instead = Object.hasOwn(C_SPELLINGS, t.text) ? C_SPELLINGS[t.text] : closest(t.text, candidates);
    this.report(t.offset, `unknown type '${t.text}' at column ${t.offset + 1}`, instead ? `did you mean '${instead}'?` : `${this.typesHint()}; structs, handles and callbacks are declared in [types]`);
  }

  private result(): ResultType {
    if (!this.is('->')) return 'void';
    this.next();
    if (!this.is('(')) {
      const r = this.resultType();
      if (this.is(',')) this.tooMany();
      return r;
    }
    this.next();
    const r = this.is(')') ? 'void' : this.resultType();
    if (this.is(',')) this.tooMany();
    this.expect(')');
    return r;
  }

  private tooMany(): never {
    const comma = this.peek();
    this.fatal(comma.offset, `a function returns at most one value; found a second at column ${comma.offset + 1}`, "return the others through 'mut T*' parameters");
  }

  private resultType(): ResultType {
    const t = this.peek();
    const pointerHint = "return data through a 'mut T*' or 'mut T[len]' parameter instead";
    if (t.kind === 'ident' && QUALIFIERS.has(t.text)) this.fatal(t.offset, `a function cannot return a pointer or array, at column ${t.offset + 1}`, pointerHint);
    if (t.kind !== 'ident') this.fatal(t.offset, `expected a result type at column ${t.offset + 1}, found ${describe(t)}`, `a result is a primitive type, 'void' or 'noreturn'; ${TYPES_HINT}`);
    this.next();
    const named = this.types.get(t.text);
    if (named) {
      const how = named.kind === 'struct' ? `a 'mut ${t.text}*' parameter` : `a 'mut ${t.text}*' parameter, with an err result`;
      this.fatal(t.offset, `a function returns a primitive type, not ${named.kind} '${t.text}', at column ${t.offset + 1}`, `return it through ${how}`);
    }
    if (this.is('*') || this.is('[')) this.fatal(t.offset, `a function cannot return a pointer or array, at column ${t.offset + 1}`, pointerHint);
    if (t.text === 'void' || t.text === 'noreturn') return t.text;
    const p = SPELLINGS.get(t.text);
    if (p) return p;
    this.unknownType(t, [...PRIMITIVE_NAMES, 'void', 'noreturn']);
    return 'void';
  }

  /** Names array lengths by parameter index, and checks that each names an integer parameter. */
  private resolve(drafts: readonly Draft[]): Param[] {
    const seen = new Map<string, number>();
    drafts.forEach((d, i) => {
      if (!d.name) return;
      const first = seen.get(d.name.text);
      if (first === undefined) seen.set(d.name.text, i);
      else this.report(d.name.offset, `parameter '${d.name.text}' at column ${d.name.offset + 1} is already declared at column ${drafts[first]!.name!.offset + 1}`);
    });
    const params: Param[] = [];
    drafts.forEach((d) => {
      let type = d.type;
      if (d.length) {
        const name = d.length.text;
        const index = seen.get(name);
        const target = index === undefined ? undefined : drafts[index]!;
        if (!target) {
          const guess = closest(name, seen.keys());
          this.report(d.length.offset, `array length '${name}' at column ${d.length.offset + 1} names no parameter`, guess ? `did you mean '${guess}'?` : `add an integer parameter, as in 'const u8[${name}], usize ${name}'`);
        } else if (target.type && (target.type.kind !== 'primitive' || !INTEGER_TYPES.has(target.type.primitive))) {
          this.report(d.length.offset, `array length '${name}' at column ${d.length.offset + 1} names a parameter of type '${formatType(target.type)}', not an integer`, 'lengths are carried by i8..i64, u8..u64, isize or usize parameters');
        } else if (type?.kind === 'array' && index !== undefined) {
          type = { ...type, length: { kind: 'param', name, index } };
        }
      }
      if (type) params.push(d.name ? { name: d.name.text, type } : { type });
    });
    return params;
  }

  private checkWords(params: readonly Param[], drafts: readonly Draft[]): void {
    let used = 0;
    let pointers = 0;
    for (const [i, p] of params.entries()) {
      const w = words(p.type);
      used += (w === 2 ? used % 2 : 0) + w;
      if (p.type.kind === 'pointer' || p.type.kind === 'array') pointers++;
      const offset = drafts[i]!.offset;
      if (used > MAX_ARGUMENT_WORDS) {
        this.report(offset, `the arguments take more than ${MAX_ARGUMENT_WORDS} words; parameter ${i + 1} at column ${offset + 1} is the first that does not fit`, "group them in a struct of [types] and pass a 'const T*'");
        return;
      }
      if (pointers > MAX_POINTER_PARAMS) {
        this.report(offset, `more than ${MAX_POINTER_PARAMS} pointer and array parameters; parameter ${i + 1} at column ${offset + 1} is one too many`, "group the buffers in a struct of [types] and pass a 'const T*'");
        return;
      }
    }
  }
}

/**
 * Parses a function signature. `where` is where the text starts in its file (for a TOML string,
 * the column after the opening quote); an error's column is that column plus the offset within
 * the text, and the message names the column within the text.
 */
export function parseSignature(text: string, where?: { file: string; line?: number; column?: number }, types?: TypeTable): Signature {
  return new SignatureParser(text, where, types).parse();
}

export function formatType(t: ParamType): string {
  if (t.kind === 'primitive') return t.primitive;
  if (t.kind === 'handle' || t.kind === 'callback') return t.name;
  const prefix = `${t.nullable ? 'nullable ' : ''}${t.access} ${t.element.name}`;
  if (t.kind === 'pointer') return `${prefix}*`;
  return `${prefix}[${t.length.kind === 'const' ? t.length.n : t.length.name}]`;
}

/** The canonical text: `type name` parameters, `err32` for `err`, decimal lengths, no `-> void`. */
export function formatSignature(sig: Signature): string {
  const params = sig.params.map((p) => (p.name ? `${formatType(p.type)} ${p.name}` : formatType(p.type)));
  return `fn(${params.join(', ')})${sig.result === 'void' ? '' : ` -> ${sig.result}`}`;
}

/** The C prototype, as in `ssize_t name(int32_t a0, const uint8_t *a1, size_t size)`. */
export function cPrototype(sig: Signature, name: string): string {
  const taken = new Set(sig.params.flatMap((p) => (p.name ? [p.name] : [])));
  const params = sig.params.map((p, i) => {
    let pname = p.name;
    if (!pname) {
      pname = `a${i}`;
      while (taken.has(pname)) pname += '_';
      taken.add(pname);
    }
    const t = p.type;
    if (t.kind === 'primitive') return `${PRIMITIVES[t.primitive].c} ${pname}`;
    if (t.kind === 'handle' || t.kind === 'callback') return `${t.name} ${pname}`;
    return `${t.access === 'const' ? 'const ' : ''}${t.element.c} *${pname}`;
  });
  const result = sig.result === 'void' ? 'void' : sig.result === 'noreturn' ? '_Noreturn void' : PRIMITIVES[sig.result].c;
  return `${result} ${name}(${params.length > 0 ? params.join(', ') : 'void'})`;
}

/** The C type and size of a primitive. */
export function primitiveInfo(p: PrimitiveType): { readonly bytes: number; readonly c: string } {
  return PRIMITIVES[p];
}

/** The integer types, which may give an array's length. */
export function isIntegerType(p: PrimitiveType): p is IntegerType {
  return INTEGER_TYPES.has(p);
}

/** A call that returns an err type gets a negative error code, not an abort, when the callee faults. */
export function isFallible(sig: Signature): boolean {
  return ERR_TYPES.has(sig.result);
}

/**
 * Words of r0, r1, ... the arguments take under the AAPCS base standard: 64-bit values take an
 * even-odd pair (a skipped register counts), everything else one word.
 */
export function argumentWords(sig: Signature): number {
  let used = 0;
  for (const p of sig.params) {
    const w = words(p.type);
    used += (w === 2 ? used % 2 : 0) + w;
  }
  return used;
}

/** For each pointer or array parameter, in order: the bytes it covers are `elementSize * length`. */
export function pointerRanges(sig: Signature): PointerRange[] {
  const ranges: PointerRange[] = [];
  sig.params.forEach((p, i) => {
    const t = p.type;
    if (t.kind !== 'pointer' && t.kind !== 'array') return;
    let length: PointerRange['length'] = { kind: 'const', n: 1 };
    if (t.kind === 'array' && t.length.kind === 'const') length = { kind: 'const', n: t.length.n };
    if (t.kind === 'array' && t.length.kind === 'param') {
      const target = sig.params[t.length.index];
      if (target?.type.kind !== 'primitive' || !INTEGER_TYPES.has(target.type.primitive)) {
        throw new Error(`internal: length of parameter ${i} points at parameter ${t.length.index}, which is not an integer`);
      }
      length = { kind: 'param', index: t.length.index, name: t.length.name, type: target.type.primitive as IntegerType };
    }
    const range = { param: i, access: t.access, nullable: t.nullable, elementSize: t.element.bytes, length };
    ranges.push(p.name ? { ...range, name: p.name } : range);
  });
  return ranges;
}

/** Whether an import and an export agree: parameter names are ignored, lengths compared by position. */
export function sameSignature(a: Signature, b: Signature): boolean {
  if (a.result !== b.result || a.params.length !== b.params.length) return false;
  return a.params.every((p, i) => sameType(p.type, b.params[i]!.type));
}

function sameType(a: ParamType, b: ParamType): boolean {
  if (a.kind === 'primitive') return b.kind === 'primitive' && a.primitive === b.primitive;
  if (a.kind === 'handle' || a.kind === 'callback') return b.kind === a.kind && b.name === a.name;
  if (b.kind !== 'pointer' && b.kind !== 'array') return false;
  if (a.kind !== b.kind || a.access !== b.access || a.nullable !== b.nullable || a.element.name !== b.element.name) return false;
  if (a.kind === 'pointer' || b.kind === 'pointer') return true;
  const [x, y] = [a.length, b.length];
  return x.kind === 'const' ? y.kind === 'const' && x.n === y.n : y.kind === 'param' && x.index === y.index;
}
