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
from pulumi_alaya.client.kinds import BASE_MODEL, KINDS, LORA, Kind
from pulumi_alaya.client.models import FIELDS

from .cases import RETRIES, TIMEOUT

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from support.ansible_runner import ansible_env, playbook  # noqa: E402
from support.dynamic_grpc import ProviderProcess, plain, provider_for, secret  # noqa: E402
from support.kind_specimens import SURFACES, specimen  # noqa: E402

TARGET = "write-target"
TARGET_KEY = "sk-SENTINEL-write-target-key"
KIND_BY_CLASS = {cls.__name__: cls.kind for cls in vars(errors).values()
                 if isinstance(cls, type) and issubclass(cls, AlayaError)}
CLI_EXIT = {"ok": 0, "api": 7, "conflict": 7, "not_found": 3, "write_uncertain": 9, "input": 2}


@dataclass(frozen=True)
class KindFacts:
    """What the write cases need to know of a kind: a spec, a change, the emulator's create-fault key and the
    target deployment as the emulator stores it."""

    kind: Kind
    spec: dict[str, Any]
    change: dict[str, Any]
    create_fault: str
    target: dict[str, Any]


# What differs from the rule in _facts: the emulator's create-fault key of a base model, and a LoRA's namespace
# (its base's, not one of its inputs).
_CREATE_FAULTS = {LORA.name: "lora:create", BASE_MODEL.name: "base:create"}
_TARGET_MORE = {LORA.name: {"namespace": "vks-demo"}}


def _facts(kind: Kind) -> KindFacts:
    """A kind's write facts from its specimen: the spec (named for the writes), its change, and the target as a GET
    shows it (the shared fields by their API names, then the kind's own: ``Specimen.shown``)."""
    case = specimen(kind)
    spec = {**case.fields, "name": f"write-{kind.command}"}
    shared = {output.key: output.api_name for output in FIELDS if output.key in spec}
    target = {api: list(spec[key]) if isinstance(spec[key], (list, tuple)) else spec[key]
              for key, api in shared.items()}
    return KindFacts(kind, spec, case.change, _CREATE_FAULTS.get(kind.name, f"{kind.name}:create"),
                     {**target, **_TARGET_MORE.get(kind.name, {}), **case.shown()})


FACTS = {kind.name: _facts(kind) for kind in KINDS}
SPEC = FACTS[LORA.name].spec


@dataclass(frozen=True)
class WriteCase:
    id: str
    op: str  # create | update | delete
    expect: str = "ok"
    writes: int = 1  # POST/PUT/DELETE requests the API may see (the cancel of a restart counts)
    fault: dict[str, Any] = field(default_factory=dict)  # keyed by serviceId or the kind's create key
    spec: dict[str, Any] | None = None  # None: the kind's (FACTS)
    target_status: str | None = "running"  # None: the target does not exist
    kind: str = LORA.name
    only: tuple[str, ...] = ()  # the surfaces it runs on, when fewer than the kind's (SURFACES)

    @property
    def facts(self) -> KindFacts:
        return FACTS[self.kind]

    @property
    def values(self) -> dict[str, Any]:
        return self.facts.spec if self.spec is None else self.spec

    @property
    def surfaces(self) -> tuple[str, ...]:
        return tuple(s for s in SURFACES[self.kind] if not self.only or s in self.only)


def _cases(facts: KindFacts) -> list[WriteCase]:
    """The same cases for every kind."""
    kind, create = facts.kind.name, facts.create_fault
    return [
        WriteCase(f"{kind}/create-ok", "create", target_status=None, kind=kind),
        WriteCase(f"{kind}/create-400-name-taken", "create", "api", kind=kind),
        WriteCase(f"{kind}/create-429-then-ok", "create", writes=2, target_status=None, kind=kind,
                  fault={create: {"times": 1, "status": 429, "retry_after": 0.1}}),
        WriteCase(f"{kind}/create-answer-lost", "create", "write_uncertain", target_status=None, kind=kind,
                  fault={create: {"times": 1, "lost_after_create": True}}),
        WriteCase(f"{kind}/delete-ok", "delete", kind=kind),
        WriteCase(f"{kind}/delete-already-gone", "delete", target_status=None, kind=kind),
        WriteCase(f"{kind}/delete-html-404", "delete", "api", kind=kind,
                  fault={TARGET: {"times": -1, "status": 404, "body": "html"}}),
        WriteCase(f"{kind}/update-stopped", "update", target_status="stopped", kind=kind),
        # Pulumi's update always has the user's consent to restart (offline_update), so it has no such case.
        WriteCase(f"{kind}/update-running-refused", "update", "conflict", writes=0, kind=kind,
                  only=("python", "cli", "ansible-module")),
    ]


WRITE_CASES = [
    *(case for facts in FACTS.values() for case in _cases(facts)),
    WriteCase("lora/create-400-no-base", "create", "api", spec={**SPEC, "base_service_id": "no-such-base"},
              target_status=None),
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
                                  **case.facts.target})
    emulator.set_faults(case.fault)
    emulator.clear_requests()


def writes(emulator: Any) -> int:
    return sum(1 for r in emulator.requests() if r["method"] in ("POST", "PUT", "DELETE"))


def run_python(emulator: Any, case: WriteCase) -> WriteOutcome:
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, timeout=TIMEOUT, retries=RETRIES,
                     backoff=0.05) as client:
        deployments = client.deployments(case.kind)
        try:
            if case.op == "create":
                deployments.create(deployments.spec(**case.values))
            elif case.op == "delete":
                deployments.delete(TARGET)
            else:
                deployments.update(TARGET, case.facts.change)
        except AlayaError as error:
            return WriteOutcome(error.kind, str(error), repr(error))
    return WriteOutcome("ok", "", "")


def _flags(case: WriteCase, values: dict[str, Any]) -> list[str]:
    """The values as the kind's CLI flags (``--flag=value``, a list repeated)."""
    flags = []
    for item in case.facts.kind.spec_inputs:
        value = values.get(item.option)
        flags += [f"{item.cli_flag}={one}" for one in (value if isinstance(value, list) else [value])
                  if one is not None]
    return flags


def run_cli(emulator: Any, case: WriteCase) -> WriteOutcome:
    args = {"create": ["create", *_flags(case, case.values)],
            "delete": ["delete", TARGET],
            "update": ["update", TARGET, *_flags(case, case.facts.change)]}[case.op]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALAYA_")}
    env.update(emulator.env)
    output = [] if case.op == "delete" else ["-o", "json"]  # delete prints no deployment
    run = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", case.facts.kind.command, *args,
                          "--request-timeout", str(TIMEOUT), "--retries", str(RETRIES), *output], env=env,
                         capture_output=True, text=True, timeout=120)
    # The CLI shows an exit code, not a kind: it holds when the code is the one documented for the kind.
    kind = case.expect if run.returncode == CLI_EXIT[case.expect] else f"exit:{run.returncode}"
    last = run.stderr.strip().splitlines()[-1] if run.returncode and run.stderr.strip() else ""
    return WriteOutcome(kind, last.removeprefix("alaya: error: "), run.stdout + run.stderr)


def run_pulumi(emulator: Any, case: WriteCase) -> WriteOutcome:
    kind = case.facts.kind
    engine = ProviderProcess(provider=provider_for(kind))
    try:
        engine.configure({"alaya:accessKey": emulator.access_key, "alaya:secretKey": secret(emulator.secret_key),
                          "alaya:baseUrl": emulator.url, "alaya:timeout": str(TIMEOUT),
                          "alaya:retries": str(RETRIES)})
        spec = case.values
        inputs = {**{item.key: spec[item.option] for item in kind.spec_inputs if item.option in spec},
                  "wait_until_running": False}
        in_place = {"offline_update": True} if kind.offline_opt_in else {}  # a change updates, not replaces
        try:
            if case.op == "create":
                engine.create(plain(engine.check(inputs).inputs))
            elif case.op == "delete":
                engine.delete(TARGET, inputs)
            else:
                keys = {item.option: item.key for item in kind.spec_inputs}
                changed = {keys[option]: value for option, value in case.facts.change.items()}
                engine.update(TARGET, {**inputs, **in_place}, {**inputs, **changed, **in_place})
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
    - alayanew.serverless.%s_deployment: %s
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
        options.update(case.values)
    elif case.op == "delete":
        options.update(service_id=TARGET, state="absent")
    else:
        options.update(service_id=TARGET, **case.facts.change)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "result.json")
        path = Path(tmp, "play.yml")
        path.write_text(TASK % (case.kind, json.dumps(options), out))
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
