"""Fixtures for the GitOps tests: one control plane with ESO and one emulator per module, a namespace per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.kubernetes.alaya import LoggedEmulator, logged_emulator
from support.kubernetes.cluster import Cluster, namespace_name, start_cluster
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



@pytest.fixture
def recipe(request: pytest.FixtureRequest, cluster: Cluster, alaya_api: LoggedEmulator,
           tmp_path: Path) -> Iterator[Recipe]:
    """A fresh namespace named after the test, with the manual's credentials Secret in it.

    Afterwards its ExternalSecrets are deleted (without waiting), so ESO stops polling for finished tests; the
    namespace itself stays (no namespace controller runs to empty it).
    """
    name = namespace_name(request.node.originalname, 50)
    made = Recipe(cluster, name, tmp_path, alaya_api.url, alaya_api.access_key, alaya_api.secret_key)
    made.create_namespace()
    made.create_credentials()
    yield made
    cluster.kubectl("delete", "externalsecrets", "--all", "-n", name, "--wait=false", check=False)
