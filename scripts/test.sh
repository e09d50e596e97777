#!/usr/bin/env bash
# Every check and test: lint, types (mypy strict, pyright standard), vendored-client drift, then pytest (which
# also drives the Pulumi provider over gRPC, ansible-playbook and ansible-test against a real emulator process).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
ruff check .
mypy
pyright
python scripts/vendor_client.py --check
exec python -m pytest "$@"
