#!/usr/bin/env bash
# `npm run installed:check`: the command as another project gets it. Packs this
# repository (npm pack: what a tarball, git URL or registry install delivers),
# installs it into an empty project in a temporary folder, and runs the command
# there: --help, lint of a definition of that project, render, exec, synth
# (into that project's cdktf.out, nothing written inside node_modules/), and a
# bad flag (exit 2, one line). Needs the npm registry for the dependencies.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "installed:check FAILED: $*" >&2; exit 1; }

echo "packing $repo"
tarball="$(cd "$repo" && npm pack --silent --pack-destination "$work")"
mkdir "$work/consumer"
cd "$work/consumer"
npm init -y >/dev/null
echo "installing $tarball into an empty project"
npm install --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null
installed="$work/consumer/node_modules/sfn-workflows"
run() { npx --no-install sfn-workflows "$@"; }

run --help | grep -q "^Usage: sfn-workflows" || fail "--help did not print the usage"

cat >definition.asl.json <<'EOF'
{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": {"greeting": "hello"}, "End": true}}}
EOF
run lint definition.asl.json >/dev/null || fail "lint of the project's own definition"
run render order-processing | grep -q '"StartAt"' || fail "render order-processing printed no definition"
echo '{"orderId": "ord-1"}' >input.json
out="$(run exec order-processing --input input.json --json 2>/dev/null || true)"
echo "$out" | grep -q '"status"' || fail "exec printed no execution result: $out"

run synth >synth.log 2>&1 || { cat synth.log; fail "synth"; }
[ -f cdktf.out/manifest.json ] || fail "synth wrote no cdktf.out/manifest.json in the working folder"
ls cdktf.out/hcl/*/cdk.tf >/dev/null 2>&1 || fail "synth wrote no HCL"
[ ! -e "$installed/cdktf.out" ] || fail "synth wrote cdktf.out inside node_modules"
grep -rl -e "$work" -e node_modules cdktf.out/hcl >/dev/null && fail "the HCL names a machine path or node_modules"

set +e
bad="$(run synth --no-such-flag 2>&1)"
code=$?
set -e
[ "$code" -eq 2 ] || fail "a bad flag exited $code, not 2: $bad"
[ "$(printf '%s\n' "$bad" | wc -l)" -eq 1 ] || fail "a bad flag printed more than one line: $bad"

echo "installed:check passed: help, lint, render, exec, synth ($(grep -m1 "^Synthesized" synth.log), into the working folder), bad flag"
