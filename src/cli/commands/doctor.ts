import { runDoctor } from '../../toolchain/doctor.js';
import type { Command } from '../command.js';
import { printJsonValue } from '../output.js';

export const doctorCommand: Command = {
  name: 'doctor',
  positionals: 'none',
  summary: 'check that every tool bento needs is installed, with a supported version',
  usage: '',
  options: { json: { type: 'boolean', description: 'the checks as JSON on stdout' } },
  async run(_positionals, options) {
    const results = runDoctor();
    if (options.json) {
      printJsonValue({ ok: results.every((r) => r.ok), checks: results });
      return results.every((r) => r.ok) ? 0 : 1;
    }
    const width = Math.max(...results.map((r) => r.name.length));
    for (const r of results) {
      console.log(`${r.ok ? 'ok     ' : 'MISSING'}  ${r.name.padEnd(width)}  ${r.detail}  (${r.purpose})`);
    }
    const missing = results.filter((r) => !r.ok);
    if (missing.length === 0) {
      console.log('\nAll tools are in place.');
      return 0;
    }
    const packages = [...new Set(missing.flatMap((r) => (r.package ? [r.package] : [])))];
    console.log(`\n${missing.length} problem(s).${packages.length ? ` Fix: apt-get install ${packages.join(' ')}` : ''} (or run scripts/setup.sh)`);
    return 1;
  },
};
