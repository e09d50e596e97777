#!/usr/bin/env bash
# Create .venv with the project (editable, compat mode: see pyproject's [tool.uv]) and its dev tools, exactly as
# pinned in uv.lock; sourced by demo.sh and test.sh. Re-syncs when pyproject.toml or uv.lock changes.
# Byte-compiled, as pip installs: under PYTHONDONTWRITEBYTECODE=1 an uncompiled venv compiles every module it
# imports on every start (the plugin, the CLI and their benchmarks would measure the compiler).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp="$ROOT/.venv/.installed-compiled-$(cat "$ROOT/pyproject.toml" "$ROOT/uv.lock" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  uv="$("$ROOT/scripts/uv.sh")"
  # --locked: a uv.lock that no longer matches pyproject.toml is an error, never a silent re-resolve.
  UV_PYTHON_DOWNLOADS=never "$uv" sync --quiet --locked --compile-bytecode --project "$ROOT" \
    --python "${PYTHON:-python3}"
  touch "$stamp"
fi
# The project itself is installed editable (its source, not site-packages): compile what changed since.
"$ROOT/.venv/bin/python" -m compileall -q "$ROOT/pulumi_alaya" >/dev/null
export PATH="$ROOT/.venv/bin:$PATH"
