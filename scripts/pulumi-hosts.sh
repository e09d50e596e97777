#!/usr/bin/env bash
# Complete a Pulumi install around the CLI folder given (scripts/pulumi-cli.sh calls this): the Python,
# Node.js and Go language hosts, built by ../shared/pulumi-hosts/build.sh when that folder is beside the
# checkout, else taken from a Pulumi install on PATH; and the YAML host, built from tools/pulumi-yaml. Each is
# built once into the git-ignored cache. Prints one folder holding `pulumi` and every host.
#   usage: scripts/pulumi-hosts.sh CLI_DIR
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLI_DIR=${1:?usage: pulumi-hosts.sh CLI_DIR}
CACHE="${PULUMI_ALAYA_CACHE:-$ROOT/.cache}"
SHARED="$ROOT/../shared/pulumi-hosts"
YAML_VERSION="$(awk '$1 == "github.com/pulumi/pulumi-yaml" {print $2}' "$ROOT/tools/pulumi-yaml/go.mod")"
YAML_DIR="$CACHE/pulumi-yaml-$YAML_VERSION"
INSTALL="$CACHE/pulumi-install"
HOSTS=(pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python
       pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-language-go)

if [ -d "$SHARED" ]; then
  HOSTS_DIR="$CACHE/pulumi-hosts-$(awk '$1 == "github.com/pulumi/pulumi/sdk/v3" {print $2}' "$SHARED/python/go.mod")"
  if [ ! -x "$HOSTS_DIR/pulumi-language-go" ] || [ ! -x "$HOSTS_DIR/pulumi-resource-pulumi-nodejs" ]; then
    echo "building the Pulumi Python, Node.js and Go language hosts (about 2 min on first run)..." >&2
    "$SHARED/build.sh" "$HOSTS_DIR" >/dev/null
  fi
fi

if [ ! -x "$YAML_DIR/pulumi-language-yaml" ]; then
  echo "building the Pulumi YAML language host (about 3 min on first run)..." >&2
  mkdir -p "$YAML_DIR"
  ( cd "$ROOT/tools/pulumi-yaml" && CGO_ENABLED=0 go build -mod=readonly -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$YAML_VERSION" \
      -o "$YAML_DIR/pulumi-language-yaml.tmp" . ) >&2
  mv "$YAML_DIR/pulumi-language-yaml.tmp" "$YAML_DIR/pulumi-language-yaml"
fi

# One folder with every binary as a file of its own (hard link, else copy), not a symlink: the CLI takes a
# language host from PATH silently only when it resolves to the folder of the running `pulumi`; otherwise
# every command warns "using pulumi-language-X from $PATH".
place() {  # place SOURCE: put SOURCE into $INSTALL under its own name, unless it is already there
  local target; target="$INSTALL/$(basename "$1")"
  [ "$1" -ef "$target" ] && return 0
  ln -f "$1" "$target.tmp" 2>/dev/null || cp -f "$1" "$target.tmp"
  mv -f "$target.tmp" "$target"
}
mkdir -p "$INSTALL"
place "$CLI_DIR/pulumi"
place "$YAML_DIR/pulumi-language-yaml"
missing=()
for name in "${HOSTS[@]}"; do
  if [ -n "${HOSTS_DIR:-}" ] && [ -x "$HOSTS_DIR/$name" ]; then
    place "$HOSTS_DIR/$name"
  elif [ -x "$CLI_DIR/$name" ]; then  # the dynamic provider's launcher, all the engine tests need
    place "$CLI_DIR/$name"
  elif found="$(command -v "$name")"; then
    place "$found"
  else
    missing+=("$name")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "pulumi-hosts: no ${missing[*]}: neither $SHARED nor a Pulumi install on PATH has them" >&2
fi
echo "$INSTALL"
