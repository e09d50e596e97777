"""Run the case table on a surface and judge it: same outcome as the client, bounded requests, no leaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_alaya.client.errors import describe_service_id
from pulumi_alaya.emulator.recorder import Recorder

from .cases import (
    ALL_CASES,
    FAULT_CASES,
    INPUT_CASES,
    OTHER_HOST,
    SECRETS,
    SENTINEL_URL_PASSWORD,
    Case,
    deployments,
)
from .surfaces import SURFACES, Outcome

API = "/api/serverless-infer/v1"
CLI_EXIT = {"ok": 0, "input": 2, "not_found": 3, "auth": 4, "forbidden": 4, "deployment_failed": 5,
            "wait_timeout": 6, "api": 7, "redirect": 7, "transport": 7, "malformed": 7, "probe": 8}
_OTHER_HOSTS: list[Recorder] = []


def other_host() -> Recorder:
    """The one recorder standing in for "another host" in this process: nothing may ever reach it."""
    if not _OTHER_HOSTS:
        _OTHER_HOSTS.append(Recorder())
    return _OTHER_HOSTS[0]


def _with_other_host(fault: dict[str, Any]) -> dict[str, Any]:
    return {k: v.replace(OTHER_HOST, other_host().url) if isinstance(v, str) else v for k, v in fault.items()}


@dataclass
class SurfaceResult:
    surface: str
    outcomes: dict[str, Outcome]
    requests: dict[str, int]
    text: str


@dataclass
class Verdict:
    surface: str
    problems: list[str] = field(default_factory=list)
    held: int = 0
    bounded: int = 0
    leaks: list[str] = field(default_factory=list)


def prepare(emulator: Any, kind: str = "lora") -> None:
    emulator.reset()
    emulator.add_deployments(*deployments(kind))
    emulator.set_faults({case.sid: _with_other_host(case.fault) for case in FAULT_CASES if case.fault})
    emulator.clear_requests()


def run_surface(emulator: Any, surface: str, kind: str = "lora") -> SurfaceResult:
    runner = SURFACES[surface]
    prepare(emulator, kind)
    outcomes, text = runner(emulator, INPUT_CASES, kind)
    # Input cases run as one batch, so a single request from any of them shows here: the strict reading.
    refused = len(emulator.requests())
    requests = {case.id: refused for case in INPUT_CASES}
    emulator.clear_requests()
    more, more_text = runner(emulator, FAULT_CASES, kind)
    log = emulator.requests()
    for case in FAULT_CASES:
        requests[case.id] = sum(1 for entry in log if entry["path"] == f"{API}/deployment/{case.sid}")
    return SurfaceResult(surface, {**outcomes, **more}, requests, text + more_text)


def expected_fields(case: Case, emulator: Any) -> dict[str, Any]:
    url = f"{emulator.url}/svc/{case.sid}"
    return {"service_id": case.sid, "status": case.status, "service_url": url, "served_name": [f"model-{case.id}"],
            "model": f"model-{case.id}", "openai_base_url": url + "/v1"}


def _same_outcome(case: Case, outcome: Outcome, reference: Outcome) -> bool:
    if outcome.kind.startswith("exit:"):
        return int(outcome.kind[5:]) == CLI_EXIT[case.expect]
    if outcome.kind == "lookup-error":  # the lookup shows only the message: it must be the client's
        return case.expect != "ok" and bool(reference.message) and reference.message in outcome.message
    return outcome.kind == case.expect


def judge(result: SurfaceResult, reference: SurfaceResult, emulator: Any) -> Verdict:
    verdict = Verdict(result.surface)
    for case in ALL_CASES:
        outcome, ref = result.outcomes[case.id], reference.outcomes[case.id]
        problems = []
        if not _same_outcome(case, outcome, ref):
            problems.append(f"expected {case.expect}, got {outcome.kind}: {outcome.message[:160]}")
        if case.expect == "ok" and outcome.fields != expected_fields(case, emulator):
            problems.append(f"wrong value {outcome.fields}")
        if case.expect != "ok":
            if "\n" in outcome.message or "Traceback" in outcome.message or not outcome.message:
                problems.append(f"error text is not one line: {outcome.message[:160]!r}")
            if ref.message not in outcome.message:
                problems.append(f"error text differs from the client's: {outcome.message[:160]!r}")
            if not case.settings and describe_service_id(case.sid) not in outcome.message:
                problems.append("error text does not name the serviceId")
        if result.requests[case.id] <= case.max_requests:
            verdict.bounded += 1
        else:
            problems.append(f"{result.requests[case.id]} requests, bound {case.max_requests}")
        verdict.problems += [f"{result.surface}/{case.id}: {p}" for p in problems]
        verdict.held += not problems
    texts = [result.text] + [o.text + o.message for o in result.outcomes.values()]
    verdict.leaks = [s for s in SECRETS for text in texts if s in text and not _echoed_by_ansible(result, s, text)]
    if other_host().log:
        verdict.problems.append(f"{result.surface}: {len(other_host().log)} request(s) reached the other host")
    return verdict


def _echoed_by_ansible(result: SurfaceResult, secret: str, text: str) -> bool:
    # ansible-playbook -vvv prints every loop item and module argument it was given, base_url included: a
    # password the user wrote into base_url is Ansible's to print. Our own message must still not carry it.
    return (secret == SENTINEL_URL_PASSWORD and result.surface.startswith("ansible") and text == result.text)


def run_all(emulator: Any) -> list[Verdict]:
    reference = run_surface(emulator, "python")
    verdicts = []
    for surface in SURFACES:
        result = reference if surface == "python" else run_surface(emulator, surface)
        verdicts.append(judge(result, reference, emulator))
    return verdicts
