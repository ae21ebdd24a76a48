"""Drives `bento monitor` in a real pseudo-terminal, as a person at a terminal would: waits for it
to start, types a line, waits for the device's echo, presses Ctrl-] and reports, as JSON, whether
the terminal was raw while the monitor ran and is back in its old mode after it ended."""
import json
import os
import pty
import select
import subprocess
import sys
import termios
import time

LINE = sys.argv[1]
WANT = sys.argv[2]
COMMAND = sys.argv[3:]


def read_until(master, text, seconds, seen):
    deadline = time.time() + seconds
    while text not in seen[0] and time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen[0] += os.read(master, 4096).decode('latin1')
    return text in seen[0]


master, slave = pty.openpty()
before = termios.tcgetattr(slave)
child = subprocess.Popen(COMMAND, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
seen = ['']
report = {'started': read_until(master, 'bento: monitoring', 120, seen)}
# The monitor sets raw mode right after that line.
time.sleep(0.5)
report['raw_while_running'] = termios.tcgetattr(slave)[3] & (termios.ICANON | termios.ECHO) == 0
os.write(master, LINE.encode() + b'\r')
report['echoed'] = read_until(master, WANT, 60, seen)
os.write(master, b'\x1d')
try:
    report['exit_code'] = child.wait(timeout=20)
except subprocess.TimeoutExpired:
    child.kill()
    report['exit_code'] = None
read_until(master, '\0', 0.5, seen)
report['restored'] = termios.tcgetattr(slave) == before
report['output'] = seen[0]
print(json.dumps(report))
