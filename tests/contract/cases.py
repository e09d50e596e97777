"""The contract, as data: one table of cases that every surface must answer the same way.

``expect`` is "ok" or the ``kind`` of the core error (``pulumi_alaya.client.errors``). ``max_requests`` bounds
what the emulator may see for the case; input cases must not reach it at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_alaya.client.kinds import kind_named
from pulumi_alaya.client.models import Deployment

from support.kind_specimens import specimen

SENTINEL_SECRET_KEY = "SENTINEL-secret-key-5f0c1e"
SENTINEL_ACCESS_KEY = "sentinel-ak"
SENTINEL_WRONG_SECRET = "SENTINEL-wrong-secret-9d2b"
SENTINEL_API_KEY = "sk-SENTINEL-apikey-"  # + the case's number: every deployment's key is a sentinel
SENTINEL_URL_PASSWORD = "SENTINEL-url-password-77"
# Replaced by the recorder's URL (the "other host") when the faults are installed.
OTHER_HOST = "{other-host}"

# The settings every surface gets (as its own options): short timeouts keep the matrix quick.
TIMEOUT = 1.0
RETRIES = 2
WAIT_TIMEOUT = 20.0


@dataclass(frozen=True)
class Case:
    id: str
    expect: str = "ok"
    max_requests: int = 1
    fault: dict[str, Any] = field(default_factory=dict)
    deployment: dict[str, Any] | None = field(default_factory=dict)  # None: no such deployment
    wait: bool = False
    service_id: str = ""  # default: "contract-<id>"
    settings: dict[str, str] = field(default_factory=dict)  # access_key / secret_key / base_url overrides
    status: str = "running"  # expected status on ok

    @property
    def sid(self) -> str:
        return self.service_id if self.service_id or self.is_input else f"contract-{self.id}"

    @property
    def is_input(self) -> bool:
        return self.expect == "input"


FAULT_CASES = [
    Case("envelope"),
    Case("bare", fault={"style": "bare"}),
    Case("code-string", fault={"code_string": True}),
    Case("apikey-spelling", fault={"key_spelling": "apikey"}),
    Case("servedName-string", fault={"served_name_string": True}),
    Case("misspelled-status", fault={"misspell_status": True}, deployment={"statuses": ["starting"]},
         status="starting"),
    Case("not-found", expect="not_found", deployment=None),
    Case("unauthorized", expect="auth", settings={"secret_key": SENTINEL_WRONG_SECRET}),
    Case("forbidden", expect="forbidden", fault={"times": -1, "status": 403}),
    Case("code-minus-one", expect="api", fault={"code_error": "quota exceeded for this namespace"}),
    Case("429-then-ok", max_requests=2, fault={"times": 1, "status": 429, "retry_after": 1}),
    Case("503-twice-then-ok", max_requests=3, fault={"times": 2, "status": 503}),
    Case("502-html-forever", expect="api", max_requests=RETRIES + 1,
         fault={"times": -1, "status": 502, "body": "html"}),
    Case("connection-reset", expect="transport", max_requests=RETRIES + 1, fault={"times": -1, "reset": True}),
    Case("read-timeout", expect="transport", max_requests=RETRIES + 1, fault={"latency": TIMEOUT + 1.5}),
    Case("truncated-json", expect="malformed", fault={"times": -1, "truncate": True}),
    Case("failed-with-wait", expect="deployment_failed", wait=True, deployment={"status": "failed"}),
    Case("slow-start-with-wait", wait=True, max_requests=3,
         deployment={"statuses": ["starting", "starting", "running"]}),
    # A hostile network (issue: transport hardening): each must be one clear line, bounded, leak-free.
    Case("redirect-to-other-host", expect="redirect",
         fault={"times": -1, "status": 302, "location": OTHER_HOST + "/api/serverless-infer/v1/x?token=1"}),
    Case("echoed-secret-key", expect="api", fault={"times": -1, "status": 400, "echo_secret": True}),
    Case("html-404", expect="api", fault={"times": -1, "status": 404, "body": "html"}),
    Case("cut-body", expect="transport", max_requests=RETRIES + 1, fault={"times": -1, "cut": True}),
    Case("cut-chunked-body", expect="transport", max_requests=RETRIES + 1, fault={"times": -1, "cut_chunked": True}),
    Case("trickling-body", expect="transport", max_requests=RETRIES + 1, fault={"times": -1, "trickle": 0.25}),
    Case("endless-body", expect="malformed", fault={"times": -1, "endless": True}),
    Case("gzip-bomb", expect="malformed", fault={"times": -1, "gzip_bomb": 64 * 1024 * 1024}),
    Case("bad-gzip", expect="malformed", fault={"times": -1, "bad_gzip": True}),
    Case("deep-json", expect="malformed", fault={"times": -1, "deep_json": 50_000}),
    Case("multi-line-value", expect="malformed", fault={"override": {"name": "x\n::set-output name=a::b"}}),
    Case("running-without-url", expect="malformed", fault={"override": {"serviceUrl": ""}}),
    Case("undocumented-status", deployment={"status": "deleting", "statuses": ["deleting"]}, status="deleting"),
    Case("503-past-retries-in-wait", wait=True, max_requests=RETRIES + 3,
         fault={"times": RETRIES + 2, "status": 503}),
    Case("retry-after-beyond-wait", expect="api", wait=True, deployment={"statuses": ["starting"]},
         fault={"times": -1, "status": 429, "retry_after": 600}),
]

INPUT_CASES = [
    Case("empty-id", expect="input", max_requests=0, service_id=""),
    Case("whitespace-id", expect="input", max_requests=0, service_id="   "),
    Case("dotdot-id", expect="input", max_requests=0, service_id="../x"),
    Case("slash-id", expect="input", max_requests=0, service_id="a/b"),
    Case("query-id", expect="input", max_requests=0, service_id="?x=1"),
    Case("10k-id", expect="input", max_requests=0, service_id="x" * 10_000),
    Case("non-ascii-id", expect="input", max_requests=0, service_id="dépl-ümlaut-部署"),
    Case("missing-credentials", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"access_key": "", "secret_key": ""}),
    Case("http-non-loopback", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"base_url": "http://198.51.100.7"}),
    Case("no-scheme-base-url", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"base_url": "127.0.0.1:8780"}),
    Case("backslash-base-url", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"base_url": "http://attacker.invalid\\@127.0.0.1:8780"}),
    Case("userinfo-base-url", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"base_url": f"http://user:{SENTINEL_URL_PASSWORD}@127.0.0.1:8780"}),
    Case("port-out-of-range", expect="input", max_requests=0, service_id="contract-envelope",
         settings={"base_url": "http://127.0.0.1:99999"}),
]

ALL_CASES = FAULT_CASES + INPUT_CASES
SECRETS = [SENTINEL_SECRET_KEY, SENTINEL_WRONG_SECRET, SENTINEL_API_KEY, SENTINEL_URL_PASSWORD]


def adoption_inputs(case: Case, kind: str = "lora") -> dict[str, Any]:
    """What a Pulumi program adopting the case's deployment declares (it must match the deployment): its inputs
    read back from the deployment as the API shows it, through the kind's own record."""
    raw = {**_deployment(case, kind), "status": "stopped", "serviceUrl": ""}  # as shown before any fault
    record = kind_named(kind).record(Deployment.from_raw(raw, case.sid))
    return {item.key: list(value) if isinstance(value := getattr(record, item.option), tuple) else value
            for item in kind_named(kind).spec_inputs}


def deployments(kind: str = "lora") -> list[dict[str, Any]]:
    """The emulator deployments the fault cases read (each case its own, so faults never collide), as the API
    shows a deployment of ``kind``: the same serviceIds, so every case runs unchanged for every kind."""
    return [{**_deployment(case, kind), "apiKey": f"{SENTINEL_API_KEY}{number:02d}", **(case.deployment or {})}
            for number, case in enumerate(FAULT_CASES) if case.deployment is not None]


def _deployment(case: Case, kind: str) -> dict[str, Any]:
    """The case's deployment of ``kind`` as the API shows it, before the case's own fields (its fault)."""
    item = {"serviceId": case.sid, "name": f"lora-{case.id}", "servedName": [f"model-{case.id}"],
            "baseServiceId": "base-qwen2-7b", "namespace": "contract", "modelId": f"m-{case.id}"}
    if "base_service_id" not in {output.key for output in kind_named(kind).outputs}:
        del item["baseServiceId"]
    return {**item, **specimen(kind).shown()}


def seed() -> dict[str, Any]:
    return {"accessKey": SENTINEL_ACCESS_KEY, "secretKey": SENTINEL_SECRET_KEY, "deployments": []}
