#!/usr/bin/env bash
# The quick start: set up, then build the main example (a host, a Wasm box and a native MPU
# box calling each other) and run it on the emulated M4 and M7.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root/examples/mixed"
for board in m4 m7; do
  node "$root/bin/bento.js" build "$root/boards/$board.toml"
  node "$root/bin/bento.js" run "$root/boards/$board.toml" --timeout 30
done
