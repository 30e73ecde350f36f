#!/usr/bin/env bash
# Builds OpenTofu from the Go module proxy (no other download is reachable here) and
# prints the binary's path on the last line: bash scripts/build-opentofu.sh [bin-dir]
#   OPENTOFU_VERSION  the release to build (default 1.10.6, the version the README lists as tested)
#   bin-dir           where `tofu` goes (default ${XDG_CACHE_HOME:-~/.cache}/sfn-workflows/opentofu-<version>)
# An existing binary of that version is reused. `go install` refuses the module (its go.mod has a
# replace directive), so this copies the module out of the read-only module cache and builds there.
set -euo pipefail
version="${OPENTOFU_VERSION:-1.10.6}"
bin_dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/sfn-workflows/opentofu-$version}"
bin="$bin_dir/tofu"

if [ -x "$bin" ] && "$bin" version 2>/dev/null | head -1 | grep -qx "OpenTofu v$version"; then
  echo "OpenTofu $version already built: $bin" >&2
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "build-opentofu: go is not installed (OpenTofu is built from source with the Go toolchain)" >&2; exit 1; }

started=$SECONDS
info="$(go mod download -json "github.com/opentofu/opentofu@v$version")" || {
  echo "build-opentofu: go mod download github.com/opentofu/opentofu@v$version failed:" >&2
  echo "$info" >&2
  exit 1
}
module_dir="$(printf '%s' "$info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
src="$(mktemp -d "${TMPDIR:-/tmp}/opentofu-src.XXXXXX")"
trap 'rm -rf "$src"' EXIT
cp -R "$module_dir/." "$src/"
chmod -R u+w "$src"
mkdir -p "$bin_dir"
# dev=no: a release version string ("OpenTofu v1.10.6"), not "v1.10.6-dev".
(cd "$src" && go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$bin.tmp" ./cmd/tofu)
mv "$bin.tmp" "$bin"
echo "built $("$bin" version | head -1) in $((SECONDS - started)) s: $bin" >&2
echo "$bin"
