// How each box is entered: straight (a function call in privileged Thread mode on the box's own
// stack, no SVC, no MPU switch) or through the SVC boundary. Pure; the build compiles a straight
// box with the software stack check and the glue reads the choice as data.
import type { RecipeBox } from '../config/recipe.js';

export type BoxEntry = 'direct' | 'svc';

/**
 * A Wasm box with `software` bounds is entered straight: every access of its code is checked by
 * code bento generated from a validated module, indirect calls are checked, and the code reads no
 * register but its arguments, so neither the MPU nor zeroed registers add to what it can reach.
 * Every other box (native C; Wasm with `mask`, `mpu` or `none` bounds, whose accesses the MPU
 * bounds) keeps the SVC boundary: unprivileged, under the MPU.
 */
export function boxEntry(box: Pick<RecipeBox, 'runtime' | 'bounds'>): BoxEntry {
  return box.runtime === 'wasm' && box.bounds === 'software' ? 'direct' : 'svc';
}
