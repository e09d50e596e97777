"""Fixtures for the GitOps tests: one control plane with ESO and one emulator per module, a namespace per test."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.kubernetes.alaya import LoggedEmulator, logged_emulator
from support.kubernetes.cluster import Cluster, start_cluster
from support.kubernetes.recipe import Recipe


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("cluster")
    started = start_cluster(folder)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def alaya_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedEmulator]:
    with logged_emulator(tmp_path_factory.mktemp("emulator")) as emulator:
        emulator.set_timing(0.0, 0.0)  # created deployments run at once, deleted ones go at once: quick --wait
        yield emulator


_NUMBERS = itertools.count(1)


@pytest.fixture
def recipe(request: pytest.FixtureRequest, cluster: Cluster, alaya_api: LoggedEmulator,
           tmp_path: Path) -> Iterator[Recipe]:
    """A fresh namespace named after the test, with the manual's credentials Secret in it.

    Afterwards its ExternalSecrets are deleted (without waiting), so ESO stops polling for finished tests; the
    namespace itself stays (no namespace controller runs to empty it).
    """
    # The test's name (shortened, "test_" dropped) and a number: parametrized cases get namespaces of their own.
    short = re.sub(r"[^a-z0-9]+", "-", request.node.originalname.lower().removeprefix("test_"))[:50].strip("-")
    name = f"{short}-{next(_NUMBERS)}"
    made = Recipe(cluster, name, tmp_path, alaya_api.url, alaya_api.access_key, alaya_api.secret_key)
    made.create_namespace()
    made.create_credentials()
    yield made
    cluster.kubectl("delete", "externalsecrets", "--all", "-n", name, "--wait=false", check=False)
