"""The plugin installs itself, as every provider in the Pulumi Registry does, with nothing installed by hand.

The schema's ``pluginDownloadURL`` reaches each SDK; the engine asks the release for this machine's archive.
Here the release is ``release_server.ReleaseServer`` on 127.0.0.1 holding what ``scripts/provider_archive.py``
packs, and ``PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES`` points the engine at it: a fresh ``PULUMI_HOME``, automatic
plugin acquisition on, no ``pulumi-resource-alaya`` on PATH. A TypeScript program (SDK from ``npm pack``) runs
``pulumi up``: the engine downloads, installs (the Python plugin's venv too) and runs the plugin; a second run
downloads nothing. ``pulumi plugin install resource alaya VERSION`` goes the same way, and a missing archive or a
checksum mismatch is one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from packaging.markers import Marker

from pulumi_alaya.client.version import VERSION
from pulumi_alaya.plugin.schema import PLUGIN_DOWNLOAD_URL

from support.native_sdks import nodejs_sdk_tarball, provider_archive
from support.project import PulumiProject, engine_or_skip
from support.release_server import ReleaseServer

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
sys.path.insert(0, str(SCRIPTS))
import provider_archive as packer  # noqa: E402 - the script under test

PLUGIN_MAIN = ROOT / "provider" / "cmd" / "pulumi-resource-alaya" / "__main__.py"
HERE = f"{platform.system().lower()}-{ {'x86_64': 'amd64', 'aarch64': 'arm64'}.get(platform.machine(), 'amd64')}"
AMBIENT_WARNING = "from $PATH"
THIS_MACHINES_ARCHIVE = f"/releases/download/v{VERSION}/pulumi-resource-alaya-v{VERSION}-{HERE}.tar.gz"


def release_files() -> list[Path]:
    folder = provider_archive().parent
    return sorted(folder.glob("pulumi-resource-alaya-*.tar.gz")) + [folder / packer.checksums_name(VERSION)]


# --- the release files, without the engine ---------------------------------------------------------------------

def test_the_release_has_one_archive_per_platform_the_same_bytes_and_their_checksums():
    archives = release_files()[:-1]
    assert sorted(a.name for a in archives) == sorted(packer.archive_name(VERSION, o, a) for o, a in packer.PLATFORMS)
    assert len({a.read_bytes() for a in archives}) == 1  # a Python plugin: the same archive under six names
    digest = hashlib.sha256(archives[0].read_bytes()).hexdigest()
    assert sorted(release_files()[-1].read_text().splitlines()) == [f"{digest}  {a.name}" for a in archives]
    assert packer.verify(archives[0].parent) == []


def test_a_missing_archive_and_a_wrong_checksum_are_one_line_each(tmp_path):
    for path in release_files():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / packer.archive_name(VERSION, "windows", "arm64")).unlink()
    (tmp_path / packer.archive_name(VERSION, "darwin", "amd64")).write_bytes(b"not the archive")
    run = subprocess.run([sys.executable, str(SCRIPTS / "provider_archive.py"), "--verify", str(tmp_path)],
                         capture_output=True, text=True)
    missing, wrong = sorted(run.stderr.splitlines(), key=lambda line: "sha256" in line)
    assert run.returncode == 1 and run.stderr.count("\n") == 2 and "Traceback" not in run.stderr
    assert "windows-arm64" in missing and "is missing" in missing
    assert "darwin-amd64" in wrong and "sha256 does not match" in wrong


def test_the_archive_installs_nothing_below_python_3_11_and_the_plugin_says_what_to_install(tmp_path):
    with tarfile.open(provider_archive()) as packed:
        line = packed.extractfile("requirements.txt").read().decode().strip()  # type: ignore[union-attr]
    wheel, marker = (part.strip() for part in line.split(" ; "))  # pip's form of a path with a marker
    assert wheel.endswith(".whl") and Marker(marker).evaluate({"python_version": "3.11"})
    assert not Marker(marker).evaluate({"python_version": "3.10"})
    # An old Python as the plugin's venv has it: pulumi_alaya not installed (-I -S: no site-packages), 3.10 reported.
    fake_old = (f"import sys, runpy; sys.version_info = (3, 10, 12, 'final', 0); "
                f"runpy.run_path({str(PLUGIN_MAIN)!r}, run_name='__main__')")
    run = subprocess.run([sys.executable, "-I", "-S", "-c", fake_old], capture_output=True, text=True, cwd=tmp_path,
                         timeout=60)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert "needs Python 3.11 or newer" in run.stderr and "Python 3.10" in run.stderr
    assert "pulumi plugin rm resource alaya" in run.stderr


def test_the_release_workflow_packs_and_verifies_the_archives_before_attaching_them():
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    build, verify = "scripts/provider_archive.py dist/", "scripts/provider_archive.py --verify dist/"
    assert build in workflow and verify in workflow and workflow.index(build) < workflow.index(verify)
    assert 'find dist -type f' in workflow  # every file in dist/ (archives and checksums) is attached


def test_every_sdk_carries_the_schemas_download_url():
    schema = json.loads((ROOT / "provider" / "cmd" / "pulumi-resource-alaya" / "schema.json").read_text())
    assert schema["pluginDownloadURL"] == PLUGIN_DOWNLOAD_URL == "github://api.github.com/pulumi-alaya"
    nodejs = json.loads((ROOT / "sdk" / "nodejs" / "package.json").read_text())["pulumi"]
    python = json.loads((ROOT / "sdk" / "python" / "pulumi_alaya_native" / "pulumi-plugin.json").read_text())
    go = json.loads((ROOT / "sdk" / "go" / "alaya" / "pulumi-plugin.json").read_text())
    assert nodejs["server"] == python["server"] == go["server"] == PLUGIN_DOWNLOAD_URL


# --- through the real engine ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def release(tmp_path_factory):
    server = ReleaseServer(tmp_path_factory.mktemp("release"))
    server.publish(release_files(), VERSION)
    yield server
    server.close()


def _user_path(cli_dir: str) -> str:
    """The engine first, then PATH without this checkout's venv: no pulumi-resource-alaya anywhere on it."""
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join([cli_dir, *(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin)])
    assert shutil.which("pulumi-resource-alaya", path=path) is None, "a pulumi-resource-alaya is still on PATH"
    return path


def _self_installing_env(cli_dir: str, release: ReleaseServer, home: Path, folder: str = "releases/download"):
    return {"PATH": _user_path(cli_dir), "PULUMI_HOME": str(home),
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "false",
            "PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES": release.override(folder)}


def _archive_asks(release: ReleaseServer) -> list[str]:
    return [path for path in release.asked if path.endswith(".tar.gz")]


def test_pulumi_up_downloads_installs_and_runs_the_plugin_and_a_second_run_downloads_nothing(
        release, emulator, tmp_path):
    cli_dir = engine_or_skip("nodejs")
    env = _self_installing_env(cli_dir, release, tmp_path / "home")
    project = PulumiProject(ROOT / "examples" / "typescript", tmp_path, cli_dir, env=env)
    package = json.loads((project.dir / "package.json").read_text())
    package["dependencies"]["@pulumi-alaya/alaya"] = f"file:{nodejs_sdk_tarball()}"
    (project.dir / "package.json").write_text(json.dumps(package, indent=2))
    project.npm_install()
    project.use_emulator(emulator, {"baseServiceId": "base-qwen2-7b", "modelId": "lora-support-v3",
                                    "readServiceId": "a7c0e2b4-1d3f-4e5a-9b8c-7d6e5f4a3b2c",
                                    "appConfigPath": str(tmp_path / "app-config.json")})
    before = len(release.asked)

    up = project.up()
    text = up.stdout + up.stderr
    print(text)  # what the engine printed while downloading, for the report (pytest -s)
    assert _archive_asks(release)[before:] == [THIS_MACHINES_ARCHIVE]
    assert AMBIENT_WARNING not in text and "Traceback" not in text
    assert project.stack_output()["model"] == "support-bot"  # the downloaded plugin created the deployment
    plugins = json.loads(project.run("plugin", "ls", "--json").stdout)
    assert {(p["name"], p["kind"], p["version"]) for p in plugins} >= {("alaya", "resource", VERSION)}
    assert (tmp_path / "home" / "plugins" / f"resource-alaya-v{VERSION}" / "venv").is_dir()  # its own environment

    asked = len(release.asked)
    again = project.preview("--expect-no-changes")
    assert len(release.asked) == asked and AMBIENT_WARNING not in again.stdout + again.stderr


def _pulumi(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pulumi", *args, "--non-interactive"], capture_output=True, text=True, timeout=900,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")},
                               "PULUMI_SKIP_UPDATE_CHECK": "1", **env})


@pytest.fixture(scope="module")
def installed(release, tmp_path_factory):
    """A fresh PULUMI_HOME after ``pulumi plugin install resource alaya VERSION --server URL --checksum SHA256``:
    (its environment, the command's run, the archives it asked the release for)."""
    cli_dir = engine_or_skip("python", "nodejs")
    env = _self_installing_env(cli_dir, release, tmp_path_factory.mktemp("installed") / "home")
    digest = release_files()[-1].read_text().split()[0]
    before = len(release.asked)
    run = _pulumi(env, "plugin", "install", "resource", "alaya", VERSION, "--server", PLUGIN_DOWNLOAD_URL,
                  "--checksum", digest)
    return env, run, _archive_asks(release)[before:]


def test_plugin_install_by_version_downloads_from_the_release_and_checks_the_sha256(installed):
    env, run, asked = installed
    assert run.returncode == 0, run.stdout + run.stderr
    print(run.stdout + run.stderr)
    assert asked == [THIS_MACHINES_ARCHIVE]
    listed = json.loads(_pulumi(env, "plugin", "ls", "--json").stdout)
    assert [(p["name"], p["version"]) for p in listed] == [("alaya", VERSION)]


PACKAGE_JSON = {"name": "alaya-package-add", "private": True, "main": "index.ts",
                "devDependencies": {"@types/node": "20.19.43", "typescript": "5.9.3"},
                "dependencies": {"@pulumi/pulumi": "3.259.0"}}
PROGRAM = """import * as alaya from "@pulumi-alaya/alaya";

const bot = new alaya.LoraDeployment("bot", { baseServiceId: "base-qwen2-7b", modelId: "lora-support-v3",
                                              servedNames: ["added-bot"] });
export const model = bot.model;
"""


def test_pulumi_package_add_generates_the_sdk_from_the_plugin_and_the_program_runs(installed, release, emulator,
                                                                                   tmp_path):
    """No published SDK: ``pulumi package add alaya@VERSION --server URL`` in a TypeScript project generates
    ``sdks/alaya`` from the plugin, links it in package.json and records the package in Pulumi.yaml."""
    env, _, _ = installed
    cli_dir = engine_or_skip("nodejs")
    source = tmp_path / "alaya-package-add"
    source.mkdir()
    (source / "Pulumi.yaml").write_text("name: alaya-package-add\nruntime: nodejs\n")
    (source / "package.json").write_text(json.dumps(PACKAGE_JSON))
    (source / "index.ts").write_text(PROGRAM)
    shutil.copy(ROOT / "examples" / "typescript" / "tsconfig.json", source / "tsconfig.json")
    project = PulumiProject(source, tmp_path / "run", cli_dir, env=env)
    before = len(release.asked)
    added = project.run("package", "add", f"alaya@{VERSION}", "--server", PLUGIN_DOWNLOAD_URL)
    assert "Added package" in added.stderr and len(release.asked) == before  # the installed plugin, no download
    recorded = (project.dir / "Pulumi.yaml").read_text()
    assert f"version: {VERSION}" in recorded and f"pluginDownloadURL: {PLUGIN_DOWNLOAD_URL}" in recorded
    assert json.loads((project.dir / "package.json").read_text())["dependencies"]["@pulumi-alaya/alaya"] == \
        "file:sdks/alaya"
    project.use_emulator(emulator)
    project.up()
    assert project.stack_output()["model"] == "added-bot"


def _error_lines(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (run.stdout + run.stderr).splitlines() if "error" in line.lower()]


def test_a_missing_archive_and_a_checksum_mismatch_are_one_line_each(release, tmp_path):
    cli_dir = engine_or_skip()
    incomplete = [path for path in release_files() if HERE not in path.name]
    release.publish(incomplete, VERSION, folder="incomplete")
    missing = _pulumi(_self_installing_env(cli_dir, release, tmp_path / "a", folder="incomplete"),
                      "plugin", "install", "resource", "alaya", VERSION, "--server", PLUGIN_DOWNLOAD_URL)
    wrong = _pulumi(_self_installing_env(cli_dir, release, tmp_path / "b"), "plugin", "install", "resource",
                    "alaya", VERSION, "--server", PLUGIN_DOWNLOAD_URL, "--checksum", "00" * 32)
    print(missing.stdout + missing.stderr, wrong.stdout + wrong.stderr)
    for run, says in ((missing, "404"), (wrong, "invalid checksum")):
        lines = _error_lines(run)
        assert run.returncode != 0 and len(lines) == 1 and says in lines[0], run.stdout + run.stderr
        assert "Traceback" not in run.stdout + run.stderr and "goroutine" not in run.stdout + run.stderr
    assert not (tmp_path / "b" / "plugins" / f"resource-alaya-v{VERSION}").exists()  # nothing half-installed
