#!/bin/bash
# What a fresh instance costs per request, by the size of the function's memory (bench/serverless:
# the same function with 4, 16 and 64 KiB of linear memory, and warm). Runs `bento serve` on one
# emulated board under -icount, sends 200 requests to each route over HTTP, then reads the device's
# STATS: restores and the counter ticks they took, printed as instructions (1 ns each under
# -icount) per restore.
set -euo pipefail
board=${1:-m4}
port=${2:-18080}
cd "$(dirname "$0")"
mkdir -p build
node ../../bin/bento.js serve --emulate 1 --board "$board" --icount --port "$port" 2> build/restore-serve.log &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/_bento/devices" > /dev/null && break; sleep 1; done
for route in fresh4k fresh16k fresh64k warm4k; do
  for _ in $(seq 200); do curl -sf -X POST --data-binary 'a request of 32 bytes, some text' "http://127.0.0.1:$port/$route" > /dev/null; done
done
curl -sf "http://127.0.0.1:$port/_bento/stats" | node -e '
  const all = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const devices = Array.isArray(all) ? all : all.devices ?? Object.values(all);
  for (const d of devices) {
    const s = d.stats ?? d;
    const hz = s.counterHz ?? d.counterHz ?? 25e6;
    for (const r of s.routes) {
      const instructions = r.restores ? (r.restoreTicks / r.restores) * (1e9 / hz) : 0;
      console.log(`${r.route.padEnd(10)} served ${String(r.served).padStart(4)}  restores ${String(r.restores).padStart(4)}  ${r.restores ? Math.round(instructions) + " instructions each" : "(warm: none)"}`);
    }
  }'
