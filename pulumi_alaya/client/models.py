"""The API's deployment, modelled once: every documented response variant becomes one typed record.

Variants accepted (see docs/alaya-api.md): the ``{code, data, msg}`` envelope or the bare object; ``code`` 0
or "0"; ``apiKey`` or ``apikey``; ``servedName`` as a list or a single string; the misspelled statuses
``staring``, ``stoping``, ``stoped``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from .errors import AlayaAPIError, AlayaMalformedResponseError, Subject, describe_service_id
from .patterns import Pattern
from .record import Record, field
from .urls import parse_http_url

__all__ = ["API_NAMES", "BASE_FIELDS", "BASE_OUTPUTS", "CONTROL_CHARACTERS", "FIELDS", "MODES", "OUTPUT_FIELDS",
           "Deployment", "DeploymentStatus", "OutputField", "checked_text", "settings_mode", "unwrap_envelope"]


class DeploymentStatus(str, Enum):  # noqa: UP042 - StrEnum is 3.11+; the Ansible copy runs on older targets
    """The API's own strings, so members compare equal to raw JSON and print readably."""

    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"
    STOPPED = "stopped"
    FAILED = "failed"
    # A status the docs do not name: kept readable instead of failing the whole read.
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, raw: str) -> DeploymentStatus:
        text = raw.strip().lower()
        text = _MISSPELLED_STATUSES.get(text, text)
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN

    def __str__(self) -> str:
        return self.value


# One docs page spells the states this way; the API may too.
_MISSPELLED_STATUSES = {"staring": "starting", "stoping": "stopping", "stoped": "stopped"}

# Statuses a deployment does not leave by itself: waiting for "running" past them is pointless.
TERMINAL_STATUSES = frozenset({DeploymentStatus.FAILED, DeploymentStatus.STOPPED})


def _keep(text: str) -> str:
    return text


def unwrap_envelope(body: Any, subject: Subject | str, http_status: int, scrub: Callable[[str], str] = _keep) -> Any:
    """Return the payload of a ``{code, data, msg}`` envelope, or the body itself when it is bare.

    ``code`` other than 0/"0" is an API error carrying ``msg`` even on HTTP 200. ``scrub`` removes secrets
    from ``msg`` before it is shortened, so a cut never leaves the start of a secret behind.
    """
    if not isinstance(body, dict) or "code" not in body:
        return body
    code = body.get("code")
    if code in (0, "0") and not isinstance(code, bool):
        return body.get("data")
    msg = body.get("msg")
    msg_text = scrub(msg) if isinstance(msg, str) and msg else "no message"
    about = Subject.deployment(subject) if isinstance(subject, str) else subject
    check = "the serviceId and your keys" if about.service_id else "the request and your keys"
    raise AlayaAPIError(
        f"Alaya API refused the request for {about.phrase} (HTTP {http_status}, code {code!r}): {msg_text[:200]}. "
        f"Check {check}.",
        service_id=about.service_id,
        http_status=http_status,
        code=code,
        api_msg=msg_text,
    )


class Deployment(Record):
    """A LoRA (or base-model) deployment as ``GET /deployment/{serviceId}`` describes it.

    >>> dep = client.get_deployment("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
    >>> dep.status is DeploymentStatus.RUNNING, dep.openai_base_url, dep.model

    ``api_key`` and ``raw`` are hidden from ``repr`` because both carry the deployment's key.
    """

    service_id: str
    status: DeploymentStatus
    service_url: str
    api_key: str = field(repr=False)
    served_name: tuple[str, ...]
    base_service_id: str
    model_id: str
    name: str
    namespace: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    # The status string as the API sent it: an undocumented one ("deleting") is reported, not lost.
    status_raw: str = field(default="", compare=False)

    @property
    def status_name(self) -> str:
        """The documented status, or the API's own word for one the docs do not name."""
        if self.status is DeploymentStatus.UNKNOWN:
            return self.status_raw or "(empty)"
        return str(self.status.value)

    @property
    def model(self) -> str:
        """The name a chat request puts in ``model``: the first served name ("" if there is none)."""
        return self.served_name[0] if self.served_name else ""

    @property
    def openai_base_url(self) -> str:
        """Base URL for OpenAI-compatible SDKs (they append ``/chat/completions``)."""
        return self.service_url.rstrip("/") + "/v1" if self.service_url else ""

    @classmethod
    def from_raw(cls, data: Any, service_id: str) -> Deployment:
        """Build a record from the (already unwrapped) payload; anything else is a typed error."""
        sid = describe_service_id(service_id)
        if not isinstance(data, dict):
            raise AlayaMalformedResponseError(
                f"Alaya API answered for serviceId {sid} with {type(data).__name__} where a deployment "
                "object was expected. Retry later; report it if it persists.",
                service_id=service_id,
            )

        def text(*keys: str, required: bool = False) -> str:
            for key in keys:
                value = data.get(key)
                if value is None:
                    continue
                if isinstance(value, str):
                    return checked_text(value, key, service_id)
                raise _malformed(service_id, f"field '{key}' is {type(value).__name__}, not a string")
            if required:
                raise _malformed(service_id, f"field '{keys[0]}' is missing")
            return ""

        returned_id = text("serviceId", required=True)
        if returned_id != service_id:
            raise _malformed(service_id, "it describes a different serviceId")
        status_raw = text("status", required=True)
        # Every other plain text field, read by its API name (or a documented spelling of it) from FIELDS.
        plain = {field.key: text(field.api_name, *field.aliases) for field in FIELDS
                 if field.source == "api" and field.kind == "string" and field.key not in ("service_id", "status")}
        deployment = cls(
            service_id=returned_id,
            status=DeploymentStatus.parse(status_raw),
            served_name=_served_names(data.get("servedName"), service_id),
            raw=dict(data),
            status_raw=status_raw.strip(),
            **plain,
        )
        _check_usable(deployment)
        return deployment

    @classmethod
    def outputs(cls) -> tuple[OutputField, ...]:
        """The fields this kind of deployment shows on every surface, in order."""
        return FIELDS

    def to_dict(self) -> dict[str, Any]:
        """snake_case view shared by the Pulumi outputs and the Ansible results: every output field, in order."""
        view: dict[str, Any] = {}
        for output in self.outputs():
            value = self.status_name if output.key == "status" else getattr(self, output.key)
            view[output.key] = list(value) if output.kind == "strings" else value
        return view

    def to_api_dict(self) -> dict[str, Any]:
        """camelCase view with the API's own key names (the CLI's JSON output)."""
        names = {field.key: field.api_name for field in self.outputs()}
        return {names[key]: value for key, value in self.to_dict().items()}


class OutputField(Record):
    """One output every surface shows: its snake_case key, the API's name, its type and what it means."""

    key: str
    api_name: str
    description: str
    kind: str = "string"  # "string", "strings" (a list) or "integer"
    secret: bool = False
    # "api": read from the answer at ``path`` (default: api_name; the shared fields also by an alias); "derived":
    # computed here; "mode": read at ``path`` inside the quickStart/expert object. A kind's own output may say
    # how it is read (``read``, from the answer). See ``kind_record.py``.
    source: str = "api"
    aliases: tuple[str, ...] = ()  # other spellings the documented answers use
    path: tuple[str, ...] = ()
    # How a derived output is read from the answer; a ValueError says what is malformed in it.
    read: Callable[[dict[str, Any]], Any] | None = field(default=None, compare=False, repr=False)


# The outputs every surface shows (Pulumi outputs and schema, Ansible results, CLI fields), in order: declared
# once, with the text each surface documents them by.
FIELDS = (
    OutputField("service_id", "serviceId", "The deployment's serviceId, its ID in the Alaya API."),
    OutputField("status", "status", "The deployment's status: starting, running, stopping, stopped or failed "
                "(or the API's own word for one the docs do not name)."),
    OutputField("service_url", "serviceUrl", "The URL that serves the model (POST {serviceUrl}/v1/chat/completions)."),
    OutputField("api_key", "apiKey", "The key a chat request sends in its apiKey header (a secret; left out where the "
                "resource's storeApiKey or the module's return_api_key is false).", secret=True,
                aliases=("apikey",)),
    OutputField("served_name", "servedName", "Every name a chat request may put in its model field.",
                kind="strings"),
    OutputField("model", "model", "The first served name: what a chat request puts in model.", source="derived"),
    OutputField("base_service_id", "baseServiceId", "serviceId of the base-model deployment the LoRA runs on."),
    OutputField("model_id", "modelId", "The LoRA model that is deployed."),
    OutputField("name", "name", "The deployment's display name, unique in its namespace."),
    OutputField("namespace", "namespace", "The VKS namespace the deployment runs in."),
    OutputField("openai_base_url", "openaiBaseUrl", "serviceUrl + /v1: the base URL for OpenAI-compatible SDKs.",
                source="derived"),
)

MODES = ("quickStart", "expert")  # the objects a base model's settings sit in


def settings_mode(raw: dict[str, Any]) -> str:
    """Which object holds the settings: the one ``mode`` names, or when it names none the one present."""
    mode = raw.get("mode")
    return mode if mode in MODES else next((name for name in MODES if name in raw), "")


def _instances(raw: dict[str, Any]) -> list[dict[str, Any]]:
    value = raw.get("instance")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError("field 'instance' is not a list of objects")
    return value


def _lora_models(raw: dict[str, Any]) -> list[Any]:
    """Every LoRA model on any instance, first seen first."""
    models: dict[str, None] = {}
    for item in _instances(raw):
        names = item.get("loraModels") or []
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ValueError("field 'loraModels' is not a list of strings")
        models.update(dict.fromkeys(names))
    return list(models)


def _ready_instances(raw: dict[str, Any]) -> int:
    return sum(1 for item in _instances(raw) if item.get("baseModelReady") is True)


# What a base-model deployment adds (docs/alaya-api.md: vksId, mode, quickStart/expert, instance), declared once
# for every surface like FIELDS. Instances are summed up, not listed: a list of objects fits no env file.
BASE_FIELDS = (
    OutputField("vks_id", "vksId", "The VKS cluster the base model runs in."),
    OutputField("mode", "mode", "How it was deployed: quickStart or expert.", read=settings_mode),
    OutputField("backend", "backend", "The inference engine: vllm or sglang.", source="mode", path=("backend",)),
    OutputField("backend_version", "backendVersion", "The inference engine's version.", source="mode",
                path=("backendVersion",)),
    OutputField("backend_args", "backendArgs", "Extra command-line arguments of the inference engine.",
                kind="strings", source="mode", path=("backendArgs",)),
    OutputField("workers", "workers", "Instances (workers) serving the base model.", kind="integer",
                source="mode", path=("resource", "workers")),
    OutputField("cpu", "cpu", "CPU per worker, as Kubernetes writes it (8, 500m).", source="mode",
                path=("resource", "cpu")),
    OutputField("mem", "mem", "Memory per worker, as Kubernetes writes it (32Gi).", source="mode",
                path=("resource", "mem")),
    OutputField("gpu_type", "gpuType", "The GPU model per worker (A100).", source="mode",
                path=("resource", "gpu", "gpuType")),
    OutputField("gpu_count", "gpuCount", "GPUs per worker.", kind="integer", source="mode",
                path=("resource", "gpu", "count")),
    OutputField("lora_models", "loraModels", "The LoRA models running on the base model's instances.",
                kind="strings", source="derived", read=_lora_models),
    OutputField("ready_instances", "readyInstances", "Instances whose base model is ready (baseModelReady).",
                kind="integer", source="derived", read=_ready_instances),
)
# A base model's outputs: the deployment fields (but baseServiceId, which only a LoRA has), then its own.
BASE_OUTPUTS = tuple(field for field in FIELDS if field.key != "base_service_id") + BASE_FIELDS

# The record's snake_case fields and the API's names for them (the CLI's JSON keys).
API_NAMES = {field.key: field.api_name for field in FIELDS}
OUTPUT_FIELDS = tuple(API_NAMES)


def _served_names(value: Any, service_id: str) -> tuple[str, ...]:
    # Documented as List<String>; one example shows a single string.
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _malformed(service_id, "field 'servedName' is neither a string nor a list of strings")
    if not all(item.strip() for item in value):
        raise _malformed(service_id, "field 'servedName' holds an empty name")
    return tuple(checked_text(item, "servedName", service_id) for item in value)


def checked_text(value: str, key: str, service_id: str) -> str:
    # Refused here, once, for every surface: a lone surrogate (JSON "\\ud800") cannot be printed or written,
    # and a line break in a value forges lines in env files and CI logs (GitHub workflow commands).
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _malformed(service_id, f"field '{key}' is not valid Unicode") from None
    if CONTROL_CHARACTERS.search(value):
        raise _malformed(service_id, f"field '{key}' holds control characters or line breaks")
    return value


# Control characters and every line break a log, an env file or a CI runner may split a line at.
CONTROL_CHARACTERS = Pattern("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _check_usable(deployment: Deployment) -> None:
    """A running deployment must be callable: an http(s) serviceUrl and a served name to put in ``model``."""
    sid = deployment.service_id
    if deployment.service_url:
        try:
            parse_http_url(deployment.service_url, "serviceUrl", "https://host/path")
        except ValueError:
            raise _malformed(sid, "serviceUrl is not a plain http(s) URL") from None
    if deployment.status is DeploymentStatus.RUNNING:
        if not deployment.service_url:
            raise _malformed(sid, "status is running but serviceUrl is empty")
        if not deployment.served_name:
            raise _malformed(sid, "status is running but servedName is empty")


def _malformed(service_id: str, what: str) -> AlayaMalformedResponseError:
    return AlayaMalformedResponseError(
        f"Alaya API answered for serviceId {describe_service_id(service_id)} with a deployment whose {what}. "
        "Retry later; report it if it persists.",
        service_id=service_id,
    )
