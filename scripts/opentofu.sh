#!/usr/bin/env bash
# Build OpenTofu's `tofu` from the pinned wrapper module in tools/opentofu/ into a git-ignored cache folder named
# by version, once; print the binary's path. No release download is needed: only the Go module proxy. The folder
# is renamed into place last: an interrupted build leaves only "$DEST.tmp" and is redone. Progress goes to
# stderr; stdout is only the path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="1.12.6"
DEST="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}/opentofu-v$VERSION"
if [ -f "$DEST/complete" ]; then
  echo "$DEST/tofu"
  exit 0
fi
mkdir -p "$(dirname "$DEST")"
# One build at a time (the cache folder may be shared by worktrees); whoever waited finds it complete.
exec 9>"$DEST.lock"
flock 9
if [ -f "$DEST/complete" ]; then
  echo "$DEST/tofu"
  exit 0
fi
command -v go >/dev/null || { echo "opentofu: Go is not installed; install Go >= 1.26" >&2; exit 1; }
echo "opentofu: building tofu v$VERSION into $DEST (6-10 min measured on a busy 2-core machine; 10 s with warm Go caches)..." >&2
START=$SECONDS
rm -rf "$DEST.tmp" && mkdir -p "$DEST.tmp"
# Without version.dev=no the binary calls itself "v1.12.6-dev"; -trimpath/-buildvcs=false: the same bytes from
# any checkout path or commit.
(cd "$ROOT/tools/opentofu" && CGO_ENABLED=0 go build -mod=readonly -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
  -o "$DEST.tmp/tofu" github.com/opentofu/opentofu/cmd/tofu >&2)
# Read whole, then matched: `tofu version | grep -q` under pipefail fails when grep quits at the first line and tofu
# is still writing the second (SIGPIPE), which one clean-clone run met.
BUILT="$(TF_CLI_CONFIG_FILE=/dev/null "$DEST.tmp/tofu" version)"
[[ "$BUILT" == *"OpenTofu v$VERSION"* ]] || { echo "opentofu: built binary is not v$VERSION: $BUILT" >&2; exit 1; }
echo "built in $((SECONDS - START)) s" > "$DEST.tmp/complete"
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
echo "opentofu: done in $((SECONDS - START)) s" >&2
echo "$DEST/tofu"
