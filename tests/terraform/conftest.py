"""One packed mirror per test session (one worker: the ``terraform`` xdist group) and a fresh tofu folder per
test, initialised from it, against the session's emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_alaya.emulator import Emulator

from support.tofu import PROVIDER_BLOCK, Tofu, cli_config, tofu_or_skip, write_mirror


@pytest.fixture(scope="session")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tofu_or_skip()
    folder = tmp_path_factory.mktemp("mirror")
    write_mirror(folder)
    return folder


@pytest.fixture(scope="session")
def tofu_config(mirror: Path) -> Path:
    return cli_config(mirror.parent / "tofu.tfrc", mirror)


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
