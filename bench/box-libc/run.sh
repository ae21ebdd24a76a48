#!/usr/bin/env bash
# memcpy, memmove and memset in instructions per KiB on each board (default m4): newlib-nano's
# against the box C library's. Deterministic: QEMU -icount.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bento="$here/../../bin/bento.js"
for board in "${@:-m4}"; do
  echo "## $board"
  node "$bento" run "$board" --recipe "$here/bento.toml" --icount -q
done
