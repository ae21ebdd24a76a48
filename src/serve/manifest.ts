import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir } from '../build/build.js';
import type { Board } from '../config/board.js';
import type { Recipe } from '../config/recipe.js';
import { fail } from '../diagnostics/error.js';
import type { Policy, RouteInfo } from './messages.js';

/** What the build of a serverless project says about its image: build/<board>/serverless.json. */
export interface ServerlessManifest {
  version: 1;
  project: string;
  board: string;
  elf: string;
  uart: { name: string; qemuSerial: number; baud: number };
  scheduler: Policy;
  utilisation: number;
  queue: number;
  counterHz: number;
  routes: ManifestRoute[];
}

/** A route as INFO gives it, and the function (the box) that serves it. */
export interface ManifestRoute extends RouteInfo {
  function: string;
}

export function manifestPath(recipe: Recipe, board: Board): string {
  return join(buildDir(recipe, board), 'serverless.json');
}

/** The manifest of a project built for a board; a project without functions has none. */
export function readManifest(recipe: Recipe, board: Board): ServerlessManifest {
  const file = manifestPath(recipe, board);
  if (!existsSync(file)) {
    fail('B6001', `${recipe.file} built for ${board.name} wrote no ${file}: it serves no functions`, { hint: 'a serverless project has [function.<name>] tables in its recipe (see docs/serve.md)' });
  }
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as ServerlessManifest;
  if (manifest.version !== 1) fail('B6001', `${file} is version ${manifest.version}; this bento reads version 1`, { hint: 'rebuild the project with this bento' });
  return manifest;
}
