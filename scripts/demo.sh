#!/usr/bin/env bash
# The demo: start the bundled emulator, read the demo LoRA deployments, feed their outputs to a chat call.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
exec python "$ROOT/examples/demo.py" "$@"
