"""What is published and what is pinned: the wheel's metadata, uv.lock and what is exported from it, and the
matrix (noxfile.py, ci.yml) against what pyproject and meta/runtime.yml claim."""

from __future__ import annotations

import ast
import email
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import yaml

from support.build_lock import SOURCE_TREE, build_lock
from support.doc_blocks import block

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ACTION_EXPORT = ["export", "--locked", "--only-group", "action", "--no-emit-project", "--format", "requirements.txt"]
RUNTIME = ROOT / "ansible_collections" / "alayanew" / "serverless" / "meta" / "runtime.yml"


def uv(*args: str) -> subprocess.CompletedProcess[str]:
    binary = subprocess.run([str(ROOT / "scripts" / "uv.sh")], capture_output=True, text=True, check=True).stdout
    return subprocess.run([binary.strip(), *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def noxfile_constant(name: str) -> object:
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    return next(ast.literal_eval(node.value) for node in tree.body
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets))


def requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()


def test_the_wheel_publishes_its_extras_and_no_dev_tool(tmp_path):
    with build_lock(SOURCE_TREE):
        built = uv("build", "--quiet", "--wheel", "--out-dir", str(tmp_path))
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.message_from_bytes(archive.read(next(n for n in archive.namelist()
                                                              if n.endswith(".dist-info/METADATA"))))
    assert metadata.get_all("Provides-Extra") == ["ansible", "terraform", "controller"]
    required = {requirement_name(r) for r in metadata.get_all("Requires-Dist")}
    terraform = {"grpcio", "protobuf", "msgpack", "cryptography"}  # what scripts/terraform_mirror.py packs
    assert required == {"pulumi", "requests", "ansible-core", "kopf"} | terraform
    tools = {requirement_name(r) for group in PYPROJECT["dependency-groups"].values() for r in group
             if isinstance(r, str)}
    assert {"pytest", "ruff", "mypy", "pyright", "zizmor", "nox"} <= tools
    # the action and ansible groups share requests and ansible-core; the tests run the Terraform provider's deps
    assert not tools & required - {"requests", "ansible-core"} - terraform


def test_uv_lock_matches_pyproject():
    check = uv("lock", "--check", "--offline")
    assert check.returncode == 0, check.stderr


def test_action_requirements_are_exported_from_the_lock():
    pinned = (ROOT / "action-requirements.txt").read_text().splitlines()
    assert pinned[1] == f"#    uv {' '.join(ACTION_EXPORT)} -o action-requirements.txt"  # how to refresh it
    exported = uv(*ACTION_EXPORT, "--quiet")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[2:] == pinned[2:], (
        "action-requirements.txt differs from uv.lock: re-run the command in its second line")
    assert "--hash=sha256:" in exported.stdout and "requests==" in exported.stdout


def test_the_editable_install_is_a_plain_path_entry_static_checkers_follow():
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    (pth,) = site.glob("__editable__.pulumi_alaya-*.pth")
    assert pth.read_text().split() == [str(ROOT)]


def test_the_classifiers_list_exactly_the_tested_pythons():
    tested = noxfile_constant("PYTHONS")
    claimed = [c.rsplit(" :: ", 1)[1] for c in PYPROJECT["project"]["classifiers"]
               if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert claimed == tested == ["3.11", "3.13"]
    assert PYPROJECT["project"]["requires-python"] == f">={tested[0]}"


def test_the_matrix_runs_requires_ansibles_minimum_and_ci_runs_every_session():
    oldest = noxfile_constant("OLDEST_ANSIBLE")
    assert yaml.safe_load(RUNTIME.read_text())["requires_ansible"] == f">={oldest}.0"
    major, minor = oldest.split(".")
    assert PYPROJECT["dependency-groups"]["ansible-oldest"] == [f"ansible-core>={oldest},<{major}.{int(minor) + 1}"]
    locked = re.findall(r'name = "ansible-core"\nversion = "([\d.]+)"', (ROOT / "uv.lock").read_text())
    assert any(v.startswith(f"{oldest}.") for v in locked) and len(locked) >= 2, locked  # oldest and newest
    listed = subprocess.run([str(Path(sys.executable).parent / "nox"), "-l", "--json"], capture_output=True,
                            text=True, cwd=ROOT, check=True)
    sessions = [s["session"] for s in json.loads(listed.stdout)]
    assert sessions == ["tests-3.11", "tests-3.13", f"ansible-{oldest}", "ansible-newest"]
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    assert ci["jobs"]["matrix"]["strategy"]["matrix"]["session"] == sessions
    assert ci["jobs"]["test"]["steps"][-1]["run"] == "./scripts/test.sh"  # the quick start's test command


def test_the_quick_start_is_the_two_commands_the_suite_runs():
    """The README's and the manual's two commands: tests/project/test_demo.py runs demo.sh, CI's test job test.sh."""
    for shown in (block("readme-quick-start"), block("quick-start")):
        commands = [line.split("#")[0].strip() for line in shown.splitlines() if line.strip()]
        assert commands == ["./scripts/demo.sh", "./scripts/test.sh"], shown
    assert all((ROOT / "scripts" / name).stat().st_mode & 0o111 for name in ("demo.sh", "test.sh"))
