#!/usr/bin/env python3
"""Write the provider's schema and generate its SDKs with Pulumi's own generators; ``--check`` fails on drift.

The schema comes from ``pulumi_alaya.plugin.schema`` (built from the one declaration of each field) and goes to
``provider/cmd/pulumi-resource-alaya/schema.json``. ``pulumi package gen-sdk`` then asks each language host to
generate ``sdk/nodejs``, ``sdk/go/alaya``, ``sdk/python`` and ``sdk/dotnet`` from that file, as Pulumi's own
provider repos do; ``sdk/java`` comes from pulumi-java's ``pulumi-java-gen`` (its host predates gen-sdk), plus
the ``pom.xml`` and resources this script writes (see ``java_build_files``). ``sdk/go.mod``/``go.sum`` are kept
by hand (the generator writes none). With ``--check`` everything is generated into a temporary folder and
compared: a checked-in file that differs, is missing or is extra fails. No generation touches the network: the
.NET generator's logo download is answered from 127.0.0.1.
"""

from __future__ import annotations

import argparse
import filecmp
import http.server
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "provider" / "cmd" / "pulumi-resource-alaya" / "schema.json"
# The same bytes inside the package, where the running plugin reads what GetSchema answers (no rebuild at start).
PACKAGED_SCHEMA = ROOT / "pulumi_alaya" / "plugin" / "schema.json"
# language -> (folder gen-sdk writes under --out, folder it lives in here)
SDKS = {"nodejs": ("nodejs", "sdk/nodejs"), "go": ("go/alaya", "sdk/go/alaya"), "python": ("python", "sdk/python"),
        "dotnet": ("dotnet", "sdk/dotnet"), "java": ("java", "sdk/java")}
# Written by a build or an install inside an SDK folder, never by the generator (target: Maven, obj: dotnet).
IGNORED = {"node_modules", "bin", "__pycache__", "build", "dist", "package-lock.json", ".egg-info", "target", "obj"}


def schema_text() -> str:
    sys.path.insert(0, str(ROOT))
    from pulumi_alaya.plugin.schema import schema

    return json.dumps(schema(), indent=2) + "\n"


def pulumi_env() -> dict[str, str]:
    """The environment for the CLI: scripts/pulumi-cli.sh's engine and language hosts first on PATH, no network."""
    built = subprocess.run([str(ROOT / "scripts" / "pulumi-cli.sh")], capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise SystemExit("gen_provider: scripts/pulumi-cli.sh failed: " + built.stderr.strip()[-500:])
    folders = built.stdout.strip().splitlines()[-1]
    hosts = sorted((ROOT / ".cache").glob("pulumi-hosts-*"))
    if hosts and str(hosts[-1]) not in folders:
        folders += os.pathsep + str(hosts[-1])
    # pulumi-language-dotnet and pulumi-java-gen, built once into .cache/ (or from PATH).
    java_dotnet = subprocess.run([str(ROOT / "scripts" / "pulumi-hosts-java-dotnet.sh")], capture_output=True,
                                 text=True, check=False)
    if java_dotnet.returncode != 0:
        raise SystemExit("gen_provider: scripts/pulumi-hosts-java-dotnet.sh failed: " + java_dotnet.stderr[-500:])
    folders += os.pathsep + java_dotnet.stdout.strip().splitlines()[-1]
    env = dict(os.environ, PATH=f"{folders}{os.pathsep}{os.environ.get('PATH', '')}",
               PULUMI_SKIP_UPDATE_CHECK="1", PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="1")
    env.setdefault("PULUMI_HOME", str(ROOT / ".cache" / "pulumi-home"))
    return env


def _run(command: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=600, check=False)
    if run.returncode != 0:
        raise SystemExit(f"gen_provider: {' '.join(command[:4])} failed: {(run.stderr or run.stdout).strip()[-800:]}")


def generate(out: Path, schema: Path, env: dict[str, str]) -> None:
    for language in ("nodejs", "go", "python"):
        _run(["pulumi", "package", "gen-sdk", str(schema), "--language", language, "--out", str(out)], env)
    # The .NET generator downloads the schema's logoUrl into logo.png: give it one on loopback, for this run only.
    with _logo_server() as logo_url:
        with_logo = schema.with_name("schema-dotnet.json")
        with_logo.write_text(json.dumps({**json.loads(schema.read_text()), "logoUrl": logo_url}), encoding="utf-8")
        _run(["pulumi", "package", "gen-sdk", str(with_logo), "--language", "dotnet", "--out", str(out)], env)
    spec = json.loads(schema.read_text(encoding="utf-8"))
    # pulumi-java-gen takes --out relative to its working directory only.
    _run(["pulumi-java-gen", "generate", "--schema", str(schema), "--out", "java", "--build", "none",
          "--version", spec["version"]], env, cwd=out)
    for name, text in java_build_files(spec, out / "java").items():
        (out / "java" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "java" / name).write_text(text, encoding="utf-8")


def logo_png(size: int = 64) -> bytes:
    """A square PNG in one colour, written with stored (uncompressed) deflate blocks: the same bytes on every
    machine and zlib, so sdk/dotnet/logo.png never drifts."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes((0x2B, 0x6C, 0xB0)) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b"")


@contextmanager
def _logo_server() -> Iterator[str]:
    body = logo_png()

    class Logo(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet: no request lines on stderr
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Logo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/logo.png"
    finally:
        server.shutdown()
        server.server_close()


# Maven plugins of the lifecycle `mvn install` runs, pinned so every build resolves the same ones.
MAVEN_PLUGINS = {"maven-resources-plugin": "3.3.1", "maven-compiler-plugin": "3.13.0",
                 "maven-surefire-plugin": "3.5.2", "maven-jar-plugin": "3.4.2", "maven-install-plugin": "3.1.3"}


def java_build_files(spec: dict, sdk: Path) -> dict[str, str]:
    """What pulumi-java-gen leaves to Gradle, for Maven: a pom.xml, and the resources the SDK reads at run time.

    ``Utilities.java`` reads ``version.txt`` from a folder named after Pulumi's namespace (``com/pulumi/alaya``),
    whatever the Java package is, and the Java host finds a package's plugin by ``com/pulumi/NAME/plugin.json``:
    both go into the folder the generated code names.
    """
    java = spec["language"]["java"]
    utilities = next(sdk.rglob("Utilities.java")).read_text(encoding="utf-8")
    found = re.search(r'resourceName = "([^"]+)/version\.txt"', utilities)
    if not found:
        raise SystemExit("gen_provider: Utilities.java no longer names the version.txt it reads")
    plugin = {"resource": True, "name": spec["name"], "version": spec["version"]}
    if spec.get("pluginDownloadURL"):
        plugin["server"] = spec["pluginDownloadURL"]
    dependencies = "".join(
        f"""
    <dependency>
      <groupId>{escape(group)}</groupId>
      <artifactId>{escape(artifact)}</artifactId>
      <version>{escape(version)}</version>
    </dependency>""" for group, artifact, version in
        sorted((*name.split(":"), version) for name, version in java["dependencies"].items()))
    plugins = "".join(
        f"""
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>{name}</artifactId>
        <version>{version}</version>
      </plugin>""" for name, version in MAVEN_PLUGINS.items())
    pom = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/gen_provider.py from the schema's language.java section: do not edit. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{escape(java["basePackage"])}</groupId>
  <artifactId>{escape(spec["name"])}</artifactId>
  <version>{escape(spec["version"])}</version>
  <packaging>jar</packaging>
  <name>{escape(spec["displayName"])}</name>
  <description>{escape(spec["description"])}</description>
  <url>{escape(spec["homepage"])}</url>
  <licenses>
    <license>
      <name>{escape(spec["license"])}</name>
    </license>
  </licenses>
  <scm>
    <url>{escape(spec["repository"])}</url>
  </scm>
  <properties>
    <maven.compiler.release>11</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <project.build.outputTimestamp>2000-01-01T00:00:00Z</project.build.outputTimestamp>
  </properties>
  <dependencies>{dependencies}
  </dependencies>
  <build>
    <plugins>{plugins}
    </plugins>
  </build>
</project>
"""
    resources = f"src/main/resources/{found.group(1)}"
    return {"pom.xml": pom, f"{resources}/version.txt": spec["version"] + "\n",
            f"{resources}/plugin.json": json.dumps(plugin, indent=2) + "\n"}


def _files(folder: Path) -> set[str]:
    if not folder.exists():
        return set()
    return {str(path.relative_to(folder)) for path in folder.rglob("*")
            if path.is_file() and not any(part in IGNORED or part.endswith(".egg-info") for part in path.parts)}


def drift(generated_root: Path) -> list[str]:
    problems = []
    for made, kept in SDKS.values():
        new, old = generated_root / made, ROOT / kept
        for name in sorted(_files(new) | _files(old)):
            if not (old / name).exists():
                problems.append(f"{kept}/{name} is missing")
            elif not (new / name).exists():
                problems.append(f"{kept}/{name} is not generated by the schema (extra file)")
            elif not filecmp.cmp(new / name, old / name, shallow=False):
                problems.append(f"{kept}/{name} differs from what the schema generates")
    return problems


def _replace(source: Path, target: Path) -> None:
    for name in _files(target):
        (target / name).unlink()
    for name in _files(source):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes((source / name).read_bytes())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the checked-in schema or SDKs drifted")
    args = parser.parse_args()
    text = schema_text()
    env = pulumi_env()
    with tempfile.TemporaryDirectory() as tmp:
        schema = Path(tmp) / "schema.json"
        schema.write_text(text, encoding="utf-8")
        generate(Path(tmp) / "sdk", schema, env)
        if args.check:
            problems = [f"{path.relative_to(ROOT)} differs from pulumi_alaya.plugin.schema"
                        for path in (SCHEMA, PACKAGED_SCHEMA)
                        if not path.exists() or path.read_text(encoding="utf-8") != text]
            problems += drift(Path(tmp) / "sdk")
            for line in problems:
                print(f"drift: {line}")
            if problems:
                print("Run: python scripts/gen_provider.py", file=sys.stderr)
            return 1 if problems else 0
        for path in (SCHEMA, PACKAGED_SCHEMA):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for made, kept in SDKS.values():
            _replace(Path(tmp) / "sdk" / made, ROOT / kept)
    print("wrote the schema and sdk/{nodejs,go/alaya,python,dotnet,java}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
