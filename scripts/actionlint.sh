#!/usr/bin/env bash
# Build the official actionlint from its Go module once into the git-ignored .cache/ and print its path.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="v1.7.12"
DEST="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}/actionlint-$VERSION"
if [ ! -x "$DEST/actionlint" ]; then
  command -v go >/dev/null || { echo "actionlint: Go is not installed" >&2; exit 1; }
  GOBIN="$DEST" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2
fi
echo "$DEST/actionlint"
