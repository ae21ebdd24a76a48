import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import type { Board } from '../config/board.js';
import { fail } from '../diagnostics/error.js';
import { closest } from '../diagnostics/suggest.js';
import { templatesDir } from '../paths.js';

const projectTemplates = join(templatesDir, 'new');

/** The project templates `bento new --template` offers: the folders of templates/new/. */
export function projectTemplateNames(): string[] {
  return readdirSync(projectTemplates).filter((d) => statSync(join(projectTemplates, d)).isDirectory()).sort();
}

export interface NewProject {
  dir: string;
  name: string;
  board: Board;
  /** How the board was named on the command line (written into the README and test cases). */
  boardName: string;
  template: string;
}

/** What `bento new` takes as the project name by default: the folder's name, if it is one. */
export function defaultProjectName(dir: string): string {
  return basename(resolve(dir));
}

function listFiles(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, join(under, e.name)) : [join(under, e.name)]));
}

/**
 * Writes a project from templates/new/<template>: `.hbs` files rendered with the name and board,
 * `gitignore` as `.gitignore`, the rest copied. Everything is written into a scratch folder first
 * and moved into place at the end, so a failure leaves nothing half-made.
 */
export function createProject(p: NewProject): string[] {
  const names = projectTemplateNames();
  if (!names.includes(p.template)) {
    const guess = closest(p.template, names);
    fail('B9001', `no project template '${p.template}'`, { hint: guess ? `did you mean '${guess}'? (there are: ${names.join(', ')})` : `there are: ${names.join(', ')}` });
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(p.name)) {
    fail('B9001', `'${p.name}' cannot be a project name: it names build/<board>/<name>.elf`, { hint: 'use letters, digits, - and _, starting with a letter; give one with --name' });
  }
  const target = resolve(p.dir);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    fail('B9001', `${p.dir} already exists and is not an empty folder`, { hint: 'bento new writes a whole project; choose a new folder' });
  }
  const source = join(projectTemplates, p.template);
  const files = listFiles(source);
  if (files.some((f) => f.startsWith('boxes')) && p.board.mpu.kind === 'none') {
    fail('B2002', `${p.board.name} has no MPU, and the ${p.template} template has boxes`, { hint: 'use --template host-only, or a board with an MPU' });
  }
  mkdirSync(dirname(target), { recursive: true });
  const scratch = `${target}.bento-new-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const view = { name: p.name, board: p.boardName };
  const written: string[] = [];
  try {
    for (const file of files) {
      let text = readFileSync(join(source, file), 'utf8');
      let out = file;
      if (file.endsWith('.hbs')) {
        text = Handlebars.compile(text, { strict: true, noEscape: true })(view);
        out = file.slice(0, -'.hbs'.length);
      }
      if (basename(out) === 'gitignore') out = join(dirname(out), '.gitignore');
      mkdirSync(dirname(join(scratch, out)), { recursive: true });
      writeFileSync(join(scratch, out), text);
      written.push(out);
    }
    if (existsSync(target)) rmSync(target, { recursive: true });
    renameSync(scratch, target);
  } catch (err) {
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
  return written.sort().map((f) => relative('.', join(p.dir, f)));
}
