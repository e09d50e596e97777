#!/usr/bin/env bash
# Build the official Pulumi CLI (engine) from Pulumi's published Go modules into a git-ignored cache folder,
# once, then complete it into a full install with scripts/pulumi-hosts.sh (the Python, Node.js, Go and YAML
# language hosts); print the folder that holds `pulumi`, the hosts and the dynamic-provider launcher.
# A no-op when already built.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="3.274.1"
DEST="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}/pulumi-v$VERSION"
if [ -x "$DEST/pulumi" ] && [ -x "$DEST/pulumi-resource-pulumi-python" ]; then
  exec "$ROOT/scripts/pulumi-hosts.sh" "$DEST"
fi
command -v go >/dev/null || { echo "pulumi-cli: Go is not installed; install Go >= 1.26 or put a pulumi CLI on PATH" >&2; exit 1; }
echo "building the Pulumi CLI v$VERSION (about 5 min on first run)..." >&2
mkdir -p "$DEST.tmp"
cd "$ROOT/tools/pulumi"
# The flags of Pulumi's own release build.
CGO_ENABLED=0 go build -mod=readonly -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
  -o "$DEST.tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
# The dynamic provider's launcher ships inside the sdk module (read-only there): install a runnable copy.
SDK="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
install -m 0755 "$SDK/python/dist/pulumi-resource-pulumi-python" "$DEST.tmp/"
rm -rf "$DEST" && mv "$DEST.tmp" "$DEST"
exec "$ROOT/scripts/pulumi-hosts.sh" "$DEST"
