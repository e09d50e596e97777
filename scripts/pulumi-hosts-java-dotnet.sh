#!/usr/bin/env bash
# Build Pulumi's Java language host, its SDK generator and the .NET language host into the git-ignored cache,
# once, with ../shared/pulumi-hosts/build-java-dotnet.sh when that folder is beside the checkout; else take
# them from PATH (a normal Pulumi install with pulumi-java). Prints the folder that holds all three.
# Its name must not start with "pulumi-hosts-": scripts/gen_provider.py takes that glob for the other hosts.
#   usage: scripts/pulumi-hosts-java-dotnet.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}"
SHARED="$ROOT/../shared/pulumi-hosts"
BINARIES=(pulumi-language-java pulumi-java-gen pulumi-language-dotnet)

if [ -x "$SHARED/build-java-dotnet.sh" ]; then
  # Keyed by the build script and the sources' module files, so changed sources build into a new folder.
  KEY="$(cd "$SHARED" && cat build-java-dotnet.sh java/go.mod java/go.sum dotnet/go.mod dotnet/go.sum | sha1sum | cut -c1-12)"
  DEST="$CACHE/pulumi-java-dotnet-$KEY"
  if [ ! -x "$DEST/pulumi-language-dotnet" ]; then
    echo "building the Pulumi Java and .NET language hosts (a few minutes on first run)..." >&2
    "$SHARED/build-java-dotnet.sh" "$DEST" >/dev/null
  fi
  echo "$DEST"
  exit 0
fi
for name in "${BINARIES[@]}"; do
  found="$(command -v "$name")" || { echo "pulumi-hosts-java-dotnet: no $name: neither $SHARED nor PATH has it" >&2; exit 1; }
done
dirname "$found"
