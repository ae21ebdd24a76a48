import { runDoctor } from '../../toolchain/doctor.js';
import type { Command } from '../command.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check that every tool bento needs is installed, with a supported version',
  usage: '',
  options: {},
  async run() {
    const results = runDoctor();
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
