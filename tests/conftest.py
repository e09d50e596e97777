"""Shared fixtures: one real emulator process per test session, reset before every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_alaya.client import AlayaClient
from pulumi_alaya.emulator import Emulator, start_emulator


@pytest.fixture(scope="session")
def emulator_process() -> Iterator[Emulator]:
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_process: Emulator) -> Emulator:
    emulator_process.reset()
    return emulator_process


@pytest.fixture(scope="module")
def engine(emulator_process: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real Pulumi CLI on a throwaway backend (tests/support/engine.py), one per test module."""
    from support.engine import Engine
    from support.project import engine_or_skip

    saved = dict(os.environ)
    yield Engine(engine_or_skip(), tmp_path_factory.mktemp("engine"), emulator_process)
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[AlayaClient]:
    # Tiny backoff so retry tests are quick; the retry *policy* is what they check, not the timing.
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, backoff=0.01, max_backoff=0.05,
                     timeout=5) as alaya:
        yield alaya
