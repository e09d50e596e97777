"""Fixtures for the controller's tests: one control plane (with ESO, to compare Secrets), the controller's own
kustomize base applied to it, one emulator and one controller process per module, a namespace per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.doc_blocks import block
from support.kubernetes.alaya import LoggedEmulator, logged_emulator
from support.kubernetes.cluster import ROOT, Cluster, namespace_name, start_cluster
from support.kubernetes.controller import Controller

STARTUP = 0.3  # seconds the emulator's deployments take to start: waits are real, and short


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed test's report carries the controller's last log lines (they hold no key: the last test says so):
    what it did, or did not, about the object the test waited on."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    made = getattr(item, "funcargs", {}).get("controller")
    if report.when == "call" and report.failed and isinstance(made, Controller):
        report.sections.append(("controller log (last lines)", made.tail(60)))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = start_cluster(tmp_path_factory.mktemp("cluster"))
    try:
        # The install as manual/controller.md shows it: CRDs, RBAC, the Deployment (nothing runs pods here; the
        # tests run the process).
        started.shell(f"cd {ROOT}\n" + block("controller-install"))
        started.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                        "crd/loradeployments.serverless.alayanew.com",
                        "crd/basemodeldeployments.serverless.alayanew.com")
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def alaya_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedEmulator]:
    with logged_emulator(tmp_path_factory.mktemp("emulator")) as emulator:
        emulator.set_timing(STARTUP, STARTUP)
        yield emulator


@pytest.fixture(scope="module")
def controller(cluster: Cluster, alaya_api: LoggedEmulator,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Controller]:
    """The module's controller: every namespace named ctl-* (tests that need another controller use others)."""
    made = Controller(cluster, alaya_api, tmp_path_factory.mktemp("controller"), "--namespace", "ctl-*")
    made.start()
    try:
        yield made
    finally:
        made.stop()


@pytest.fixture
def namespace(request: pytest.FixtureRequest, cluster: Cluster, controller: Controller,
              alaya_api: LoggedEmulator) -> str:
    """A fresh namespace named after the test (the emulator's timing back to the module's)."""
    alaya_api.set_timing(STARTUP, STARTUP)
    name = namespace_name(request.node.originalname, 40, prefix="ctl-")
    cluster.kubectl("create", "namespace", name)
    return name
