"""Bursts against a rate-limited emulator, on every surface: shared by tests/resilience/test_bursts.py and
benchmarks/bursts.py, so the benchmark times exactly what the tests hold.

Each runner does one surface's burst and returns what the checks need; ``check_burst`` is the one verdict:
it succeeded, every deployment was read (or created) exactly once, nothing came back before the
``Retry-After`` it was given, and at least one 429 was answered (so the burst was real).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .ansible_runner import ansible_env, playbook, write_playbook

BASE = "base-qwen2-7b"
API = "/api/serverless-infer/v1"


def add_ids(emulator: Any, prefix: str, count: int) -> list[str]:
    return emulator.add_deployments(*({"serviceId": f"{prefix}-{n:04d}"} for n in range(count)))


def answered(emulator: Any, method: str, contains: str = "") -> Counter[str]:
    """How often each path was answered 200 (a 429 was not acted on, so it does not count)."""
    return Counter(r["path"] for r in emulator.requests(contains, method) if r["status"] == 200)


def check_burst(emulator: Any, *, read: Sequence[str] = (), created: int = 0) -> dict[str, Any]:
    """The verdict for one burst; returns the emulator's throttling report (429s answered, early arrivals)."""
    reads = answered(emulator, "GET", "/deployment/")
    assert {sid: reads[f"{API}/deployment/{sid}"] for sid in read} == {sid: 1 for sid in read}
    if created:
        assert sum(answered(emulator, "POST", "/deployment/lora").values()) == created
    throttling = emulator.throttling()
    assert throttling["early"] == 0, throttling["earlyRequests"]
    assert throttling["answered429"] >= 1, "no 429 was answered: the burst did not meet the rate limit"
    return throttling


# -- the surfaces ---------------------------------------------------------------------------------------------

def cli_get(emulator: Any, ids: list[str]) -> subprocess.CompletedProcess[str]:
    """``alaya lora get`` of every ID in one call."""
    return subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", "get", *ids, "-o", "json"],
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("ALAYA_")}, **emulator.env},
                          capture_output=True, text=True, timeout=600)


LOOKUP_TASKS = """\
- ansible.builtin.set_fact:
    deps: "{{ lookup('alayanew.serverless.lora_deployment', *ids, concurrency=concurrency) }}"
  no_log: true
- ansible.builtin.assert:
    that: [deps | length == ids | length, deps | map(attribute='service_id') | list == ids]
"""

CREATE_TASKS = """\
- alayanew.serverless.lora_deployment:
    base_service_id: {base}
    model_id: "burst-{{{{ item }}}}"
    name: "burst-{{{{ item }}}}"
    served_name: ["burst-{{{{ item }}}}"]
    wait: true
  loop: "{{{{ range(count) | list }}}}"
"""


def lookup(emulator: Any, ids: list[str], concurrency: int, tmp: Path) -> subprocess.CompletedProcess[str]:
    """The Ansible lookup over every ID at once, ``concurrency`` reads at a time."""
    play = write_playbook(tmp, textwrap.indent(LOOKUP_TASKS, "    "))
    return playbook(play, ansible_env(emulator), "-e", json.dumps({"ids": ids, "concurrency": concurrency}))


def ansible_creates(emulator: Any, count: int, tmp: Path) -> subprocess.CompletedProcess[str]:
    """A play creating ``count`` deployments with ``loop`` (one module run each, waiting until running)."""
    play = write_playbook(tmp, textwrap.indent(CREATE_TASKS.format(base=BASE), "    "))
    return playbook(play, ansible_env(emulator), "-e", json.dumps({"count": count}))


# The two providers one program can use: the SDK module to import, and the resource type the state holds.
PROVIDERS = {"dynamic": ("pulumi_alaya", "pulumi-python:dynamic/alaya:LoraDeployment"),
             "native": ("pulumi_alaya_native", "alaya:index:LoraDeployment")}


def lora_program(count: int, prefix: str = "burst", provider: str = "dynamic") -> Callable[[], None]:
    """``count`` LoraDeployments through ``provider`` (a key of ``PROVIDERS``); both SDKs take the same inputs."""
    def program() -> None:
        alaya = importlib.import_module(PROVIDERS[provider][0])

        for n in range(count):
            alaya.LoraDeployment(f"{prefix}-{n:02d}", base_service_id=BASE, model_id=f"{prefix}-m-{n}",
                                 served_names=[f"{prefix}-s-{n}"])
    return program


def pulumi_creates(engine: Any, project: str, program: Callable[[], None], count: int,
                   type_suffix: str = "LoraDeployment", parallel: int | None = None) -> Any:
    """``pulumi up`` (engine default parallelism, or ``--parallel``) of a program owning ``count`` deployments
    of ``type_suffix``.

    Checks what the engine tracks: each resource once, each with its own deployment. Returns the stack (for
    ``destroy``); the caller then applies ``check_burst(emulator, created=count)``.
    """
    stack = engine.stack(project, program)
    result = stack.up(parallel=parallel)
    assert result.summary.result == "succeeded"
    tracked = [r["id"] for r in engine.resources(stack, type_suffix)]
    assert len(tracked) == len(set(tracked)) == count
    return stack
