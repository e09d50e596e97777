"""What the controller writes for people and GitOps tools: kstatus conditions (Ready, Reconciling, Stalled, each
with a one-line reason), and the connection Secret with the same keys as examples/gitops' ESO recipe."""

from __future__ import annotations

import base64
import datetime
from typing import Any

__all__ = ["Outcome", "condition", "conditions", "now", "secret_data", "secret_object", "seconds_since"]


class Outcome:
    """Where a resource stands after a step: ``ready``, ``reconciling`` or ``stalled``, why, and when to look
    again (seconds)."""

    def __init__(self, state: str, reason: str, message: str, again: float) -> None:
        self.state = state
        self.reason = reason
        self.message = message
        self.again = again

    def __repr__(self) -> str:
        return f"Outcome({self.state}, {self.reason}: {self.message})"


_STAMP = "%Y-%m-%dT%H:%M:%SZ"  # Kubernetes' metav1.Time


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime(_STAMP)


def seconds_since(stamp: str) -> float:
    try:
        then = datetime.datetime.strptime(stamp, _STAMP).replace(tzinfo=datetime.UTC)
    except ValueError:
        return 0.0
    return (datetime.datetime.now(datetime.UTC) - then).total_seconds()


def condition(obj: dict[str, Any], kind: str) -> dict[str, Any]:
    """The object's condition of type ``kind`` (Ready, Reconciling, Stalled) as last written; {} when none."""
    for item in (obj.get("status") or {}).get("conditions") or []:
        if item.get("type") == kind:
            return dict(item)
    return {}


def conditions(outcome: Outcome, generation: int, old: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ready, Reconciling and Stalled for ``outcome``; a condition whose status did not change keeps its
    lastTransitionTime, so an unchanged outcome is an unchanged status (no write)."""
    wanted = {
        "Ready": (outcome.state == "ready", outcome.reason, outcome.message),
        "Reconciling": (outcome.state == "reconciling", outcome.reason if outcome.state == "reconciling" else "",
                        outcome.message if outcome.state == "reconciling" else ""),
        "Stalled": (outcome.state == "stalled", outcome.reason if outcome.state == "stalled" else "",
                    outcome.message if outcome.state == "stalled" else ""),
    }
    before = {item.get("type"): item for item in old}
    made = []
    for kind, (on, reason, message) in wanted.items():
        status = "True" if on else "False"
        previous = before.get(kind) or {}
        since = previous.get("lastTransitionTime") if previous.get("status") == status else None
        made.append({"type": kind, "status": status, "reason": reason or ("Ready" if on else "NotApplicable"),
                     "message": message, "lastTransitionTime": since or now(), "observedGeneration": generation})
    return made


def secret_data(outputs: dict[str, Any]) -> dict[str, str]:
    """The Secret's keys and values, as examples/gitops/app/secret-template.yaml makes them from the API."""
    url = str(outputs.get("service_url") or "").removesuffix("/")
    model = str(outputs.get("model") or "")
    return {
        "OPENAI_BASE_URL": f"{url}/v1", "OPENAI_API_KEY": str(outputs.get("api_key") or ""), "MODEL": model,
        "OPENAI_MODEL": model, "ALAYA_SERVICE_ID": str(outputs.get("service_id") or ""), "ALAYA_SERVICE_URL": url,
        "ALAYA_STATUS": str(outputs.get("status") or ""), "ALAYA_NAME": str(outputs.get("name") or ""),
        "ALAYA_MODEL_ID": str(outputs.get("model_id") or ""),
        "ALAYA_BASE_SERVICE_ID": str(outputs.get("base_service_id") or ""),
    }


def secret_object(name: str, owner: dict[str, Any], data: dict[str, str]) -> dict[str, Any]:
    """The Secret, owned by the resource (Kubernetes deletes it with the resource)."""
    meta = owner["metadata"]
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": meta["namespace"],
                         "labels": {"app.kubernetes.io/managed-by": "alaya-controller"},
                         "ownerReferences": [{"apiVersion": owner["apiVersion"], "kind": owner["kind"],
                                              "name": meta["name"], "uid": meta["uid"], "controller": True,
                                              "blockOwnerDeletion": True}]},
            "data": {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}}
