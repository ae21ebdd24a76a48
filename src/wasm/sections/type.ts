import { readValType } from '../read-types.js';
import type { Reader } from '../reader.js';
import type { FuncType } from '../types.js';

const FUNC_TYPE_FORM = 0x60;

export function readTypeSection(r: Reader): FuncType[] {
  return r.vec(readFuncType);
}

function readFuncType(r: Reader): FuncType {
  const offset = r.pos;
  const form = r.u8();
  if (form !== FUNC_TYPE_FORM) r.fail(`malformed function type 0x${form.toString(16)} (expected 0x60)`, offset);
  const params = r.vec(readValType);
  return { params, results: r.vec(readValType) };
}
