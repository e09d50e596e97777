#!/usr/bin/env bash
# Install the pinned uv (from PyPI, with pip) once into the git-ignored .cache/ and print its path.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.13.9"
DEST="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}/uv-$VERSION"
if [ ! -x "$DEST/bin/uv" ]; then
  rm -rf "$DEST.partial"
  "${PYTHON:-python3}" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$DEST.partial" "uv==$VERSION" >&2
  rm -rf "$DEST" && mv "$DEST.partial" "$DEST"
fi
echo "$DEST/bin/uv"
