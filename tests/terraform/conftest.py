"""One packed mirror per test session (one worker: the ``terraform`` xdist group) and a fresh tofu folder per
test, initialised from it, against the session's emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_alaya.emulator import Emulator

from support.doc_blocks import block
from support.tofu import PROVIDER_BLOCK, ROOT, Tofu, tofu_or_skip

MANUAL_MIRROR = "/opt/terraform-mirror"  # manual/terraform.md's folder, replaced by the test's


@pytest.fixture(scope="session")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tofu_or_skip()
    folder = tmp_path_factory.mktemp("mirror")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "-euo", "pipefail", "-c", block("terraform-mirror").replace(MANUAL_MIRROR, str(folder))],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    return folder


@pytest.fixture(scope="session")
def tofu_config(mirror: Path) -> Path:
    config = mirror.parent / "tofu.tfrc"
    config.write_text(block("terraform-cli-config").replace(MANUAL_MIRROR, str(mirror)))
    return config


@pytest.fixture
def fast_emulator(emulator: Emulator) -> Emulator:
    emulator.set_timing(startup_seconds=0.3, delete_seconds=0.2)
    return emulator


@pytest.fixture
def workspace(tmp_path: Path, tofu_config: Path, fast_emulator: Emulator) -> Iterator[Tofu]:
    """A folder holding the provider block, initialised (the test writes its resources beside it)."""
    tofu = Tofu(tmp_path / "work", tofu_config, fast_emulator, tofu_or_skip())
    tofu.write(PROVIDER_BLOCK + 'provider "alaya" {}\n', "providers.tf")
    tofu.init()
    yield tofu
