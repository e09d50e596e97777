"""How the CLI hands deployments to the next step: table, json, env, dotenv, github, k8s-secret.

Everything is rendered whole before anything is written, so a failure never leaves half an output behind.
Names: json and table use the API's field names; env (``export KEY='value'`` lines for a shell's eval) and
dotenv (plain ``KEY=value``) use ``ALAYA_<FIELD>`` (with several deployments ``ALAYA_<N>_<FIELD>``, N counting
from 1 in the order given); github uses the snake_case fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..client import AlayaInputError, Deployment
from ..client.models import CONTROL_CHARACTERS
from ..client.patterns import Pattern
from ..client.record import replaced

__all__ = ["FORMATS", "MASK", "Rendered", "render"]

MASK = "***"
FORMATS = ("table", "json", "env", "dotenv", "github", "k8s-secret")
ONE_ONLY = ("github", "k8s-secret")
# A Secret's name is a DNS subdomain; a namespace a DNS label.
_DNS_SUBDOMAIN = Pattern(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_DNS_LABEL = Pattern(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


class Rendered(NamedTuple):  # not a dataclass: defining one costs a millisecond at every start
    stdout: str
    github_output: str | None = None


def render(deployments: Sequence[Deployment], output: str, show_secrets: bool, *, secret_name: str | None = None,
           namespace: str | None = None) -> Rendered:
    if output in ONE_ONLY and len(deployments) != 1:
        raise AlayaInputError(f"--output {output} takes exactly one SERVICE_ID.")
    if output == "github":
        return _github(deployments[0].to_dict())
    if output == "k8s-secret":
        if not show_secrets:
            raise AlayaInputError("--output k8s-secret writes the apiKey into the manifest: add --show-secrets "
                                  "(and pipe it through kubeseal or sops before committing it).")
        return Rendered(_k8s_secret(deployments[0], secret_name, namespace))
    shown = [d if show_secrets or not d.api_key else replaced(d, api_key=MASK) for d in deployments]
    if output == "json":
        items = [d.to_api_dict() for d in shown]
        return Rendered(json.dumps(items[0] if len(items) == 1 else items, indent=2) + "\n")
    if output in ("env", "dotenv"):
        return Rendered("".join(_env(d.to_dict(), _prefix(n, len(shown)), output) for n, d in enumerate(shown, 1)))
    return Rendered("\n".join(_table(d.to_api_dict()) for d in shown))


def _prefix(number: int, count: int) -> str:
    return "ALAYA_" if count == 1 else f"ALAYA_{number}_"


def _flat(value: Any) -> str:
    if value is None:  # a count the API did not give (a base model's gpuCount): empty, not "None"
        return ""
    return ",".join(value) if isinstance(value, list) else str(value)


def _env(fields: dict[str, Any], prefix: str, output: str) -> str:
    lines = []
    for key, value in fields.items():
        text = _flat(value)
        if output == "dotenv":
            # GitLab's dotenv report and docker --env-file take the value verbatim: no quoting exists there.
            if CONTROL_CHARACTERS.search(text):
                raise AlayaInputError(f"{key} holds a line break or control character; dotenv cannot carry it.")
            lines.append(f"{prefix}{key.upper()}={text}\n")
        else:
            # export: after `eval "$out"` the next command (python app.py) must see them, not just this shell.
            lines.append(f"export {prefix}{key.upper()}={_shell_quoted(text)}\n")
    return "".join(lines)


def _shell_quoted(text: str) -> str:
    import shlex  # only the env output quotes

    return shlex.quote(text)


def _table(fields: dict[str, Any]) -> str:
    width = max(map(len, fields))
    return "".join(f"{key.ljust(width)}  {_flat(value)}\n" for key, value in fields.items())


def _github(fields: dict[str, Any]) -> Rendered:
    from secrets import token_hex  # only the github output needs a delimiter no value can hold

    # The record refuses control characters already; checked again here because a line break in a value
    # would turn ::add-mask:: into an injected workflow command and leave part of the key unmasked.
    texts = {key: json.dumps(value) if isinstance(value, list) else str(value) for key, value in fields.items()}
    for key, text in texts.items():
        if CONTROL_CHARACTERS.search(text):
            raise AlayaInputError(f"output {key} holds control characters; refusing to write GitHub outputs.")
    lines = []
    for key, text in texts.items():
        delimiter = f"ALAYA_EOF_{token_hex(8)}"  # heredoc syntax: a value can never end the block
        lines.append(f"{key}<<{delimiter}\n{text}\n{delimiter}\n")
    # Mask first, so the key is hidden in every later log line of the job, then write the real values.
    mask = f"::add-mask::{texts['api_key']}\n" if texts["api_key"] else ""
    return Rendered(mask + f"alaya: wrote {len(fields)} outputs to $GITHUB_OUTPUT\n", "".join(lines))


def _k8s_secret(deployment: Deployment, name: str | None, namespace: str | None) -> str:
    name = name or f"alaya-{deployment.name or deployment.service_id}".lower()[:253]
    if not _DNS_SUBDOMAIN.fullmatch(name) or len(name) > 253:
        raise AlayaInputError(f"--secret-name {name!r} is not a valid Kubernetes name (lowercase a-z 0-9 - .).")
    if namespace is not None and (not _DNS_LABEL.fullmatch(namespace) or len(namespace) > 63):
        raise AlayaInputError(f"--namespace {namespace!r} is not a valid Kubernetes namespace.")
    metadata: dict[str, Any] = {"name": name, "labels": {"app.kubernetes.io/managed-by": "pulumi-alaya"},
                                "annotations": {"alayanew.com/service-id": deployment.service_id}}
    if namespace:
        metadata["namespace"] = namespace
    manifest = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": metadata,
        "type": "Opaque",
        "stringData": {
            "OPENAI_BASE_URL": deployment.openai_base_url,
            "OPENAI_MODEL": deployment.model,
            "OPENAI_API_KEY": deployment.api_key,
            "ALAYA_SERVICE_URL": deployment.service_url,
        },
    }
    # JSON is YAML: kubectl, kubeseal and sops all read it, and no YAML library is needed to write it safely.
    return json.dumps(manifest, indent=2) + "\n"
