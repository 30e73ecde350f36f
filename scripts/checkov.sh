#!/usr/bin/env bash
# Security gate: synthesizes the default configuration and a stage on the S3
# backend (which adds the state-bootstrap stack) into separate folders, runs
# checkov on each and fails on any failed check. Skips live in .checkov.yaml.
# Needs checkov: python3 -m pip install checkov
set -euo pipefail
cd "$(dirname "$0")/.."

out="$(mktemp -d "${TMPDIR:-/tmp}/checkov.XXXXXX")"
trap 'rm -rf "$out"' EXIT

echo "synth: default configuration"
CDKTF_OUTDIR="$out/default" node --import tsx main.ts
echo "synth: STATE_BACKEND=s3 STATE_BUCKET=my-app-tf-state"
STATE_BACKEND=s3 STATE_BUCKET=my-app-tf-state CDKTF_OUTDIR="$out/s3" node --import tsx main.ts

status=0
for variant in default s3; do
  for stack in "$out/$variant"/stacks/*/; do
    echo "checkov: $variant/$(basename "$stack")"
    # --config-file keeps the skips and reasons in one place; checkov exits 1 on any failed check.
    if ! checkov --config-file .checkov.yaml -d "$stack" --compact --quiet; then status=1; fi
  done
done
exit "$status"
