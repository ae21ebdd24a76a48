import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The bento installation: where boards/, templates/ and runtime-c/ live. */
export const bentoRoot = fileURLToPath(new URL('..', import.meta.url));
export const boardsDir = join(bentoRoot, 'boards');
export const templatesDir = join(bentoRoot, 'templates');
export const runtimeDir = join(bentoRoot, 'runtime-c');
