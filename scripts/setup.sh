#!/usr/bin/env bash
# Create .venv (once) with the project and its dev tools; sourced by demo.sh and test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PY" -m venv "$ROOT/.venv"
fi
stamp="$ROOT/.venv/.installed-$(sha1sum "$ROOT/pyproject.toml" | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  "$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
  # compat: a plain .pth path entry, which static checkers (pyright, mypy) follow; the import hook they cannot.
  "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[dev]" --config-settings editable_mode=compat
  touch "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
