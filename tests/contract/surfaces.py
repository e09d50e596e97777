"""The five ways in, each run over a batch of contract cases against the same emulator.

Every surface returns, per case, an ``Outcome``: what it answered (a value or an error kind), its error text as
the user sees it, and every piece of text it produced (for the secret-leak scan).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

from pulumi_alaya.client import AlayaClient, AlayaError, errors
from pulumi_alaya.client.kinds import kind_named

from .cases import RETRIES, TIMEOUT, WAIT_TIMEOUT, Case, adoption_inputs

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from support.ansible_runner import ansible_env, playbook  # noqa: E402
from support.dynamic_grpc import ProviderProcess, plain, provider_for, secret  # noqa: E402

FIELDS = ("service_id", "status", "service_url", "served_name", "model", "openai_base_url")
KIND_BY_CLASS = {cls.__name__: cls.kind for cls in vars(errors).values()
                 if isinstance(cls, type) and issubclass(cls, AlayaError)}


@dataclass
class Outcome:
    kind: str  # "ok", a core error kind, "exit:N" (CLI) or "lookup-error" (the lookup hides the kind)
    fields: dict[str, Any] | None
    message: str
    text: str  # everything shown for this case


def _settings(emulator: Any, case: Case) -> tuple[str, str, str]:
    return (case.settings.get("access_key", emulator.access_key), case.settings.get("secret_key",
            emulator.secret_key), case.settings.get("base_url", emulator.url))


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values.get(key) for key in FIELDS}


def run_python(emulator: Any, cases: list[Case], kind: str = "lora") -> tuple[dict[str, Outcome], str]:
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logger = logging.getLogger("pulumi_alaya")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    outcomes = {}
    try:
        for case in cases:
            try:
                ak, sk, url = _settings(emulator, case)
                with AlayaClient(ak, sk, url, timeout=TIMEOUT, retries=RETRIES) as client:
                    dep = client.deployments(kind).get(case.sid, wait=case.wait, wait_timeout=WAIT_TIMEOUT)
                    outcomes[case.id] = Outcome("ok", _fields(dep.to_dict()), "", repr(dep) + repr(client))
            except AlayaError as error:
                outcomes[case.id] = Outcome(error.kind, None, str(error), str(error) + repr(error))
    finally:
        logger.removeHandler(handler)
    return outcomes, log.getvalue()


def run_cli(emulator: Any, cases: list[Case], kind: str = "lora") -> tuple[dict[str, Outcome], str]:
    outcomes = {}
    for case in cases:
        ak, sk, url = _settings(emulator, case)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ALAYA_")}
        env.update(ALAYA_ACCESS_KEY=ak, ALAYA_SECRET_KEY=sk, ALAYA_BASE_URL=url)
        args = [sys.executable, "-m", "pulumi_alaya.cli", kind_named(kind).command, "get", case.sid, "--output", "json",
                "--request-timeout", str(TIMEOUT), "--retries", str(RETRIES)]
        if case.wait:
            args += ["--wait", "--wait-timeout", str(WAIT_TIMEOUT)]
        run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
        text = run.stdout + run.stderr
        if run.returncode == 0:
            data = json.loads(run.stdout)
            snake = {field.api_name: field.key for field in kind_named(kind).outputs}
            outcomes[case.id] = Outcome("ok", _fields({snake[k]: v for k, v in data.items()}), "", text)
        else:
            last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
            outcomes[case.id] = Outcome(f"exit:{run.returncode}", None, last.removeprefix("alaya: error: "), text)
    return outcomes, ""


def run_pulumi(emulator: Any, cases: list[Case], kind: str = "lora") -> tuple[dict[str, Outcome], str]:
    outcomes, extra = {}, ""
    groups: dict[tuple[str, str, str], list[Case]] = {}
    for case in cases:
        groups.setdefault(_settings(emulator, case), []).append(case)
    for (ak, sk, url), group in groups.items():
        # One provider process per stack config, as the engine would have; reads go through the owning
        # resource's adoption path (create with adopt_service_id), which reads and waits like the others.
        engine = ProviderProcess(provider=provider_for(kind_named(kind)))
        try:
            engine.configure({"alaya:accessKey": ak, "alaya:secretKey": secret(sk), "alaya:baseUrl": url,
                              "alaya:timeout": str(TIMEOUT), "alaya:retries": str(RETRIES)})
            extra += base64.b64decode(engine.provider).decode("latin-1")
            for case in group:
                outcomes[case.id] = _pulumi_case(engine, case, kind)
        finally:
            engine.stop()
    return outcomes, extra


def _pulumi_case(engine: ProviderProcess, case: Case, kind: str) -> Outcome:
    news = {"adopt_service_id": case.sid, "wait_until_running": case.wait, "wait_timeout": WAIT_TIMEOUT,
            **adoption_inputs(case, kind)}
    checked = engine.check(news)
    if checked.failures:
        reason = checked.failures[0].reason
        return Outcome("input", None, reason, reason + repr(plain(checked.inputs)))
    inputs = {k: v for k, v in plain(checked.inputs).items() if k != "__provider"}
    try:
        outs = {k: v for k, v in plain(engine.create(inputs).properties).items() if k != "__provider"}
    except grpc.RpcError as error:
        details = error.details() or ""
        last = details.strip().splitlines()[-1]
        class_path, _, message = last.partition(": ")
        return Outcome(KIND_BY_CLASS.get(class_path.rsplit(".", 1)[-1], class_path), None, message, details)
    # api_key is the one output the resource marks secret (additional_secret_outputs); scan all the others.
    visible = {k: v for k, v in outs.items() if k != "api_key"}
    return Outcome("ok", _fields(outs), "", json.dumps(visible) + json.dumps(inputs))


# One play for both Ansible surfaces: the task differs, the loop, registration and result dump do not.
PLAY = """- hosts: localhost
  gather_facts: false
  tasks:
%(task)s
      loop: "{{ cases }}"
      loop_control: {label: "{{ item.id }}"}
      register: results
      ignore_errors: true
      no_log: "{{ item.expect == 'ok' }}"
    - ansible.builtin.copy: {content: "{{ results | to_json }}", dest: "{{ out }}"}
      no_log: true
"""

MODULE_TASK = """    - alayanew.serverless.%(kind)s_deployment_info:
        service_id: "{{ item.service_id }}"
        wait: "{{ item.wait }}"
        wait_timeout: %(wait)s
        access_key: "{{ item.access_key }}"
        secret_key: "{{ secret_keys[item.secret_key] }}"
        base_url: "{{ item.base_url }}"
        timeout: %(timeout)s
        retries: %(retries)s"""

LOOKUP_TASK = """    - ansible.builtin.set_fact:
        got: "{{ lookup('alayanew.serverless.lora_deployment', item.service_id, wait=item.wait,
                 wait_timeout=%(wait)s, timeout=%(timeout)s, retries=%(retries)s, access_key=item.access_key,
                 secret_key=secret_keys[item.secret_key], base_url=item.base_url) }}\""""


def _run_play(emulator: Any, cases: list[Case], play: str, kind: str = "lora") -> tuple[list[dict[str, Any]], str]:
    with tempfile.TemporaryDirectory() as tmp:
        items, secret_keys = [], {}
        for case in cases:
            ak, sk, url = _settings(emulator, case)
            # Loop items are printed with each result: they name the secret, the value stays in a variable.
            ref = f"key{len(secret_keys)}"
            secret_keys.setdefault(sk, ref)
            items.append({"id": case.id, "service_id": case.sid, "wait": case.wait, "access_key": ak,
                          "secret_key": secret_keys[sk], "base_url": url, "expect": case.expect})
        out = Path(tmp, "results.json")
        Path(tmp, "vars.json").write_text(json.dumps({"cases": items, "out": str(out),
                                                      "secret_keys": {v: k for k, v in secret_keys.items()}}))
        path = Path(tmp, "play.yml")
        task = play % {"wait": WAIT_TIMEOUT, "timeout": TIMEOUT, "retries": RETRIES, "kind": kind}
        path.write_text(PLAY % {"task": task})
        run = playbook(path, ansible_env(None), "-e", "@" + str(Path(tmp, "vars.json")), "-vvv", timeout=900)
        text = run.stdout + run.stderr
        assert out.exists(), text[-3000:]
        return json.loads(out.read_text())["results"], text


def run_ansible_module(emulator: Any, cases: list[Case], kind: str = "lora") -> tuple[dict[str, Outcome], str]:
    results, text = _run_play(emulator, cases, MODULE_TASK, kind)
    outcomes = {}
    for case, result in zip(cases, results, strict=True):
        if result.get("failed"):
            kind = result.get("error", {}).get("error", "unknown")
            outcomes[case.id] = Outcome(kind, None, result.get("msg", ""), "")
        else:
            outcomes[case.id] = Outcome("ok", _fields(result["deployment"]), "", "")
    return outcomes, text  # the whole -vvv run is scanned for leaks


def run_ansible_lookup(emulator: Any, cases: list[Case], kind: str = "lora") -> tuple[dict[str, Outcome], str]:
    results, text = _run_play(emulator, cases, LOOKUP_TASK)
    outcomes = {}
    for case, result in zip(cases, results, strict=True):
        if result.get("failed"):
            outcomes[case.id] = Outcome("lookup-error", None, result.get("msg", ""), "")
        else:
            outcomes[case.id] = Outcome("ok", _fields(result["ansible_facts"]["got"]), "", "")
    return outcomes, text


SURFACES = {
    "python": run_python,
    "cli": run_cli,
    "pulumi": run_pulumi,
    "ansible-module": run_ansible_module,
    "ansible-lookup": run_ansible_lookup,
}
