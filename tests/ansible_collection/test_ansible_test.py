"""ansible-test sanity, units and integration for the collection, as part of the one test command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pulumi_alaya.emulator import start_emulator

from support.ansible_runner import REPO

SCRIPT = [sys.executable, str(REPO / "scripts" / "run_ansible_test.py")]
# ansible-test writes the collection's tests/output/ and integration config and keeps venvs in one home folder
# (.cache/ansible-test-home): these runs share a pytest-xdist worker, one after another.
pytestmark = pytest.mark.xdist_group("ansible-test")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SCRIPT, *args], capture_output=True, text=True, timeout=1800)


def tail(run_: subprocess.CompletedProcess[str]) -> str:
    return (run_.stdout + run_.stderr)[-6000:]


def test_sanity():
    result = run("sanity")
    assert result.returncode == 0, tail(result)
    assert "Running sanity test \"validate-modules\"" in result.stdout


def test_units():
    result = run("units")
    assert result.returncode == 0, tail(result)
    assert " passed" in result.stdout and " failed" not in result.stdout


@pytest.fixture
def own_emulator():
    """A fresh emulator for each ansible-test run: nothing else in the worker's session touches its state."""
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.mark.parametrize("target", ["lora_deployment_info", "lora_deployment", "lookup_lora_deployment"])
def test_integration(own_emulator, target):
    result = run("integration", "--base-url", own_emulator.url, target)
    assert result.returncode == 0, tail(result)
    assert "failed=0" in result.stdout
    assert "sk-emu-" not in result.stdout  # tasks that hold keys run with no_log


def test_the_ssh_key_pair_is_made_whole_before_ansible_test_runs(tmp_path, monkeypatch):
    """On a fresh home ansible-test once found id_rsa without id_rsa.pub and stopped at ssh-keygen's prompt: the
    runner makes both first, and mends a half pair."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_ansible_test", REPO / "scripts" / "run_ansible_test.py")
    assert spec is not None and spec.loader is not None
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    monkeypatch.setattr(runner, "HOME", tmp_path)
    folder = tmp_path / ".ansible" / "test"
    folder.mkdir(parents=True)
    (folder / "id_rsa").write_text("half a pair\n")
    runner.ensure_ssh_key_pair()
    assert (folder / "id_rsa.pub").read_text().startswith("ssh-rsa ")
    assert (folder / "id_rsa").read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert sorted(path.name for path in folder.iterdir()) == ["id_rsa", "id_rsa.pub"]
