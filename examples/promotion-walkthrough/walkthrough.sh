#!/usr/bin/env bash
# Replays an image promotion offline: stage, blocked promotion, attest, promote, roll back,
# each step checked with `global-image check` (the program under mocks + the real policy pack).
# Works on a copy of this folder, so it can be run again and again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The CLI: the package's bin by default; GLOBAL_IMAGE_CLI overrides (the tests run it from source).
read -r -a cli <<< "${GLOBAL_IMAGE_CLI:-npx --no-install global-image}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here"/Pulumi.yaml "$here"/Pulumi.dev.yaml "$here"/index.ts "$here"/tsconfig.json \
  "$here"/package.json "$here"/evidence "$here"/results "$work"/
ln -s "$here/../../node_modules" "$work/node_modules"
cd "$work"

step() { printf '\n== %s\n' "$*"; }
# Runs a CLI command and fails the walkthrough unless it exits with the expected code.
expect() {
  local want=$1 got=0
  shift
  "${cli[@]}" "$@" || got=$?
  if [ "$got" != "$want" ]; then
    echo "walkthrough: expected exit $want from 'global-image $*', got $got" >&2
    exit 1
  fi
}

step "1. 1.0.0 is active (attested), 1.1.0 staged: the check passes"
expect 0 check
cp Pulumi.dev.yaml main.yaml # the config on main, for the diffs below

step "2. Promoting 1.1.0 is refused: it has no test evidence"
expect 1 promote win11

step "3. Forced through anyway, the offline check blocks the activation"
expect 0 promote win11 --force
expect 1 check
cp main.yaml Pulumi.dev.yaml

step "4. The validation pool's tests pass: attest their results for 1.1.0"
expect 0 attest --junit results/1.1.0.junit.xml --image win11-24h2-avd --version 1.1.0 --evidence-dir evidence

step "5. Promote: only activeVersion changes in Pulumi.dev.yaml"
expect 0 promote win11

step "6. The check passes; the diff shows roles flipping in place and the production pool rewired"
expect 0 check --against main.yaml

step "7. Roll back to the newest backup, 1.0.0"
expect 0 rollback win11

printf '\nwalkthrough complete\n'
