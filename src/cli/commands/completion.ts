import { readdirSync } from 'node:fs';
import { fail } from '../../diagnostics/error.js';
import { boardsDir } from '../../paths.js';
import type { Command } from '../command.js';
import { bashCompletion, zshCompletion } from '../completion.js';

/** `bento completion bash|zsh`: the script for the shell, from the command table main.ts passes. */
export function completionCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'completion',
    summary: 'print the shell completion script for bash or zsh',
    usage: 'bash|zsh',
    details:
      'bash: `source <(bento completion bash)` in ~/.bashrc, or save it as\n' +
      '~/.local/share/bash-completion/completions/bento.\n' +
      'zsh: `source <(bento completion zsh)` in ~/.zshrc (after compinit).',
    options: {},
    positionals: 'none',
    async run(positionals) {
      const shell = positionals[0];
      if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) {
        fail('B9001', `bento completion takes bash or zsh${shell ? `, not '${positionals.join(' ')}'` : ''}`, { hint: 'e.g. `source <(bento completion bash)`' });
      }
      const boards = readdirSync(boardsDir)
        .filter((f) => f.endsWith('.toml'))
        .map((f) => f.replace(/\.toml$/, ''))
        .sort();
      process.stdout.write(shell === 'bash' ? bashCompletion(commands(), boards) : zshCompletion(commands(), boards));
      return 0;
    },
  };
}
