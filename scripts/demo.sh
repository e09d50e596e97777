#!/usr/bin/env bash
# The demo (examples/demo.py): the CLI, Ansible and Pulumi against the bundled emulator; --quick skips Pulumi.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
exec python "$ROOT/examples/demo.py" "$@"
