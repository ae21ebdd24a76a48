#!/bin/bash
# EDF against FIFO under overload (bench/serverless/overload): bursts of 8 requests, half 5 ms of
# work with a 100 ms deadline, half urgent with 2 ms, on one emulated board under -icount.
set -euo pipefail
board=${1:-m4}
cd "$(dirname "$0")/overload"
exec node ../../../bin/bento.js bench serverless --board "$board" --icount --recipe bento.toml,fifo.toml \
  --burst 8 --requests 400 --mix work:1,urgent:1 --payload work=@work-5ms.bin,urgent=@urgent.bin "${@:2}"
