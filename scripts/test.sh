#!/usr/bin/env bash
# Every check and test: lint, types (mypy strict, pyright standard), vendored-client drift, then pytest (which
# also drives the Pulumi provider over gRPC, ansible-playbook and ansible-test against a real emulator process).
# Tests run in parallel (pytest-xdist; PYTEST_WORKERS, default 4: most of a test's time is spent waiting on
# an engine, a playbook or an emulated deployment, not on a core). The one-time builds they share (the Pulumi
# engine and its language hosts) are made first, once, so no two workers build them side by side.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
ruff check .
mypy
pyright
python scripts/vendor_client.py --check
if command -v go >/dev/null; then
  scripts/pulumi-cli.sh >/dev/null
  scripts/kubernetes-tools.sh >/dev/null || echo "test.sh: no Kubernetes control plane built; the GitOps tests say why" >&2
  scripts/pulumi-hosts-java-dotnet.sh >/dev/null || echo "test.sh: no Java/.NET language hosts; the tests that need them say why" >&2
  scripts/opentofu.sh >/dev/null || echo "test.sh: no tofu built; the Terraform provider's tests say why" >&2
fi
exec python -m pytest -n "${PYTEST_WORKERS:-4}" --dist loadgroup --durations=15 "$@"
