"""The write contract: creating, updating and deleting, the same way on every surface that writes.

Each case sets up the emulator, runs one operation on a surface and is judged on its outcome (the core error's
``kind``), the one-line message (the Python client's), how many writes reached the API, and leaked secrets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc

from pulumi_alaya.client import AlayaClient, AlayaError, errors
from pulumi_alaya.dynamic.lora_provider import OwnedLoraDeploymentProvider

from .cases import RETRIES, TIMEOUT

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from support.ansible_runner import ansible_env, playbook  # noqa: E402
from support.dynamic_grpc import ProviderProcess, plain, secret  # noqa: E402

BASE = "base-qwen2-7b"
TARGET = "write-target"
TARGET_KEY = "sk-SENTINEL-write-target-key"
SPEC = {"base_service_id": BASE, "model_id": "m-write", "name": "write-lora", "served_name": ["write-model"]}
KIND_BY_CLASS = {cls.__name__: cls.kind for cls in vars(errors).values()
                 if isinstance(cls, type) and issubclass(cls, AlayaError)}
CLI_EXIT = {"ok": 0, "api": 7, "conflict": 7, "not_found": 3, "write_uncertain": 9, "input": 2}


@dataclass(frozen=True)
class WriteCase:
    id: str
    op: str  # create | update | delete
    expect: str = "ok"
    writes: int = 1  # POST/PUT/DELETE requests the API may see (the cancel of a restart counts)
    fault: dict[str, Any] = field(default_factory=dict)  # keyed by serviceId or "lora:create"
    spec: dict[str, Any] = field(default_factory=lambda: dict(SPEC))
    target_status: str | None = "running"  # None: the target does not exist
    surfaces: tuple[str, ...] = ("python", "cli", "pulumi", "ansible-module")


WRITE_CASES = [
    WriteCase("create-ok", "create", target_status=None),
    WriteCase("create-400-no-base", "create", "api", spec={**SPEC, "base_service_id": "no-such-base"},
              target_status=None),
    WriteCase("create-400-name-taken", "create", "api"),
    WriteCase("create-429-then-ok", "create", writes=2, target_status=None,
              fault={"lora:create": {"times": 1, "status": 429, "retry_after": 0.1}}),
    WriteCase("create-answer-lost", "create", "write_uncertain", target_status=None,
              fault={"lora:create": {"times": 1, "lost_after_create": True}}),
    WriteCase("delete-ok", "delete"),
    WriteCase("delete-already-gone", "delete", target_status=None),
    WriteCase("delete-html-404", "delete", "api", fault={TARGET: {"times": -1, "status": 404, "body": "html"}}),
    WriteCase("update-stopped", "update", target_status="stopped", spec={**SPEC, "model_id": "m-write-2"}),
    # Pulumi's update always has the user's consent to restart (offline_update), so it has no such case.
    WriteCase("update-running-refused", "update", "conflict", writes=0, spec={**SPEC, "model_id": "m-write-2"},
              surfaces=("python", "cli", "ansible-module")),
]


@dataclass
class WriteOutcome:
    kind: str
    message: str
    text: str


def prepare(emulator: Any, case: WriteCase) -> None:
    emulator.reset()
    emulator.set_timing(0.2, 0.2)
    if case.target_status:
        emulator.add_deployments({"serviceId": TARGET, "status": case.target_status, "apiKey": TARGET_KEY,
                                  "baseServiceId": BASE, "modelId": "m-write", "name": "write-lora",
                                  "servedName": ["write-model"], "namespace": "vks-demo"})
    emulator.set_faults(case.fault)
    emulator.clear_requests()


def writes(emulator: Any) -> int:
    return sum(1 for r in emulator.requests() if r["method"] in ("POST", "PUT", "DELETE"))


def run_python(emulator: Any, case: WriteCase) -> WriteOutcome:
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, timeout=TIMEOUT, retries=RETRIES,
                     backoff=0.05) as client:
        try:
            if case.op == "create":
                client.create_lora_deployment(*case.spec.values())
            elif case.op == "delete":
                client.delete_deployment(TARGET)
            else:
                client.update_lora_deployment(TARGET, model_id=case.spec["model_id"])
        except AlayaError as error:
            return WriteOutcome(error.kind, str(error), repr(error))
    return WriteOutcome("ok", "", "")


def run_cli(emulator: Any, case: WriteCase) -> WriteOutcome:
    args = {"create": ["create", "--base-service-id", case.spec["base_service_id"], "--model-id",
                       case.spec["model_id"], "--name", case.spec["name"],
                       *[a for n in case.spec["served_name"] for a in ("--served-name", n)]],
            "delete": ["delete", TARGET],
            "update": ["update", TARGET, "--model-id", case.spec["model_id"]]}[case.op]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALAYA_")}
    env.update(emulator.env)
    output = [] if case.op == "delete" else ["-o", "json"]  # delete prints no deployment
    run = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "lora", *args, "--request-timeout", str(TIMEOUT),
                          "--retries", str(RETRIES), *output], env=env, capture_output=True, text=True, timeout=120)
    # The CLI shows an exit code, not a kind: it holds when the code is the one documented for the kind.
    kind = case.expect if run.returncode == CLI_EXIT[case.expect] else f"exit:{run.returncode}"
    last = run.stderr.strip().splitlines()[-1] if run.returncode and run.stderr.strip() else ""
    return WriteOutcome(kind, last.removeprefix("alaya: error: "), run.stdout + run.stderr)


def run_pulumi(emulator: Any, case: WriteCase) -> WriteOutcome:
    engine = ProviderProcess(provider=OwnedLoraDeploymentProvider())
    try:
        engine.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                          "alaya:baseUrl": emulator.url, "alaya:timeout": str(TIMEOUT),
                          "alaya:retries": str(RETRIES)})
        inputs = {"base_service_id": case.spec["base_service_id"], "model_id": case.spec["model_id"],
                  "name": case.spec["name"], "served_names": case.spec["served_name"], "wait_until_running": False}
        try:
            if case.op == "create":
                engine.create(plain(engine.check(inputs).inputs))
            elif case.op == "delete":
                engine.delete(TARGET, inputs)
            else:
                olds = {**inputs, "model_id": "m-write", "offline_update": True}
                engine.update(TARGET, olds, {**inputs, "offline_update": True})
        except grpc.RpcError as error:
            last = (error.details() or "").strip().splitlines()[-1]
            class_name, _, message = last.partition(": ")
            return WriteOutcome(KIND_BY_CLASS.get(class_name, class_name), message, error.details() or "")
    finally:
        engine.stop()
    return WriteOutcome("ok", "", "")


TASK = """- hosts: localhost
  gather_facts: false
  tasks:
    - alayanew.serverless.lora_deployment: %s
      register: result
      ignore_errors: true
      no_log: true
    - ansible.builtin.copy: {content: "{{ result | to_json }}", dest: "%s"}
      no_log: true
"""


def run_ansible_module(emulator: Any, case: WriteCase) -> WriteOutcome:
    options: dict[str, Any] = {"base_url": emulator.url, "access_key": emulator.access_key,
                               "secret_key": emulator.secret_key, "timeout": TIMEOUT, "retries": RETRIES,
                               "wait": False}
    if case.op == "create":
        options.update(case.spec)
    elif case.op == "delete":
        options.update(service_id=TARGET, state="absent")
    else:
        options.update(service_id=TARGET, model_id=case.spec["model_id"])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "result.json")
        path = Path(tmp, "play.yml")
        path.write_text(TASK % (json.dumps(options), out))
        run = playbook(path, ansible_env(None), "-vvv", timeout=300)
        result = json.loads(out.read_text())
    if result.get("failed"):
        return WriteOutcome(result.get("error", {}).get("error", "unknown"), result.get("msg", ""),
                            run.stdout + run.stderr)
    return WriteOutcome("ok", "", run.stdout + run.stderr)


WRITE_SURFACES = {"python": run_python, "cli": run_cli, "pulumi": run_pulumi, "ansible-module": run_ansible_module}


def judge(emulator: Any, surface: str) -> list[str]:
    """Run every write case on ``surface`` (and the Python client as the reference); return the problems."""
    problems = []
    for case in WRITE_CASES:
        if surface not in case.surfaces:
            continue
        prepare(emulator, case)
        reference = run_python(emulator, case)
        prepare(emulator, case)
        outcome = WRITE_SURFACES[surface](emulator, case)
        seen = writes(emulator)
        where = f"{surface}/{case.id}"
        if outcome.kind != case.expect:
            problems.append(f"{where}: expected {case.expect}, got {outcome.kind}: {outcome.message[:160]}")
        if case.expect != "ok" and (reference.message not in outcome.message or "\n" in outcome.message):
            problems.append(f"{where}: message differs from the client's: {outcome.message[:160]!r}")
        if seen > case.writes:
            problems.append(f"{where}: {seen} writes reached the API, bound {case.writes}")
        for leaked in (emulator.secret_key, TARGET_KEY):
            if leaked in outcome.text + outcome.message:
                problems.append(f"{where}: leaked {leaked[:6]}...")
    return problems
