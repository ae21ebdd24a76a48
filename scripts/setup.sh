#!/usr/bin/env bash
# Installs what bento needs, and only what is missing: Debian packages (apt-get), then the npm
# dependencies (which build llvm-bindings against LLVM 14, about 3 minutes the first time).
# Safe to run again: a second run checks and does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bento setup: %s\n' "$*"; }

mapfile -t packages < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
    sudo=(sudo)
  fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
else
  say "Debian packages: all ${#packages[@]} present"
fi

# npm: reinstall only when package-lock.json changed since the last good install, or when the
# llvm-bindings native module does not load (an install whose build step never ran).
stamp=node_modules/.bento-setup
want=$(sha256sum package-lock.json | cut -d' ' -f1)
bindings_load() { node -e "require('llvm-bindings')" >/dev/null 2>&1; }
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && bindings_load; then
  say "npm packages: up to date"
else
  say "installing npm packages (builds llvm-bindings against LLVM 14: a few minutes)"
  # `npm install`, not `npm ci`: the registry served here lists only this platform's optional
  # packages (rollup's native builds), so the lock file holds just those and `npm ci` refuses it
  # as out of sync. With the lock file present, `npm install` installs exactly what it pins.
  # npm also writes the other platforms' optional packages into the lock file; the committed one
  # is put back, so a fresh clone stays clean (`git status` empty) and the stamp stays valid.
  lock_copy=$(mktemp)
  cp package-lock.json "$lock_copy"
  trap 'cp "$lock_copy" package-lock.json; rm -f "$lock_copy"' EXIT
  npm install --foreground-scripts --no-audit --no-fund --loglevel=error
  if ! bindings_load; then
    say "llvm-bindings did not build; rebuilding it"
    npm rebuild llvm-bindings --foreground-scripts
    bindings_load || { say "llvm-bindings still does not load: see the build output above"; exit 1; }
  fi
  echo "$want" > "$stamp"
fi

# The CLI's JavaScript (dist/), so bento starts in a fraction of a second; bin/bento.js falls
# back to the TypeScript sources whenever one is newer than it.
if [ -f dist/cli/main.js ] && [ -z "$(find src -newer dist/cli/main.js -print -quit)" ]; then
  say "compiled CLI: up to date"
else
  say "compiling the CLI into dist/"
  rm -rf dist
  npx tsc -p tsconfig.build.json
fi
