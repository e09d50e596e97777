"""The rules of a LoRA deployment's fields (and the names every kind shares), checked before any request.

``POST /deployment/lora`` and ``PUT /deployment/lora/{serviceId}`` both take ``{baseServiceId, modelId, name,
servedName[]}``. The public docs name the fields but not their limits, so the rules here are conservative:
what the console accepts and what can travel in a URL, a Kubernetes label and an OpenAI ``model`` field.
``lora_kind.py`` declares the inputs with these checks; ``kind_spec.py`` builds every kind's spec from them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import AlayaInputError, describe_service_id
from .patterns import Pattern
from .rules import SERVICE_ID

__all__ = ["CHECKS", "MODEL_ID", "NAME", "SERVED_NAME", "twin_name", "validate_model_id", "validate_name",
           "validate_served_names", "field_problems"]

_ID = SERVICE_ID  # a base-model deployment is named by its serviceId
MODEL_ID = Pattern(r"[A-Za-z0-9._/:@-]{1,256}")
NAME = Pattern(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")
SERVED_NAME = Pattern(r"[A-Za-z0-9._/:@-]{1,128}")


def _identifier(value: Any, what: str, pattern: Pattern, rule: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value) or set(value) <= {".", "/"}:
        raise AlayaInputError(f"{what} {describe_service_id(value)} is invalid: use {rule}.")
    return value


def validate_name(name: Any) -> str:
    return _identifier(name, "name", NAME, "1-63 characters from A-Z a-z 0-9 - _, starting with a letter or digit")


def validate_served_names(served_name: Any) -> tuple[str, ...]:
    """One or more distinct served names (what a chat request puts in ``model``)."""
    names = [served_name] if isinstance(served_name, str) else served_name
    if not isinstance(names, Iterable) or isinstance(names, Mapping):
        raise AlayaInputError("served_name must be a name or a list of names.")
    checked = tuple(_identifier(n, "served name", SERVED_NAME, "1-128 characters from A-Z a-z 0-9 . _ - / : @")
                    for n in names)
    if not checked:
        raise AlayaInputError("served_name needs at least one name: it is what chat requests put in 'model'.")
    if len(set(checked)) != len(checked):
        raise AlayaInputError("served_name lists the same name twice.")
    return checked


def _base_service_id(value: Any) -> str:
    return _identifier(value, "base_service_id", _ID,
                       "the base-model deployment's serviceId (1-128 of A-Z a-z 0-9 . _ -)")


def validate_model_id(value: Any) -> str:
    return _identifier(value, "model_id", MODEL_ID, "1-256 characters from A-Z a-z 0-9 . _ - / : @")


def field_problems(checks: Mapping[str, Callable[[Any], Any]], what: str, values: Mapping[str, Any]) -> dict[str, str]:
    """Each value's refusal by its check, by field name; a field with no check is refused as unknown."""
    found = {}
    for field, value in values.items():
        if field not in checks:
            found[field] = f"unknown {what} field: {field}."
            continue
        try:
            checks[field](value)
        except AlayaInputError as error:
            found[field] = str(error)
    return found


# The suffix a rotation adds to a name; a second rotation replaces it instead of stacking another.
_TWIN_SUFFIX = Pattern(r"-r[0-9a-f]{6}$")


def twin_name(name: str) -> str:
    """A fresh display name for a rotated deployment: names are unique in a namespace, and the old deployment
    still holds its name until the twin runs."""
    stem = _TWIN_SUFFIX.sub("", name)[:63 - 8]
    return validate_name(f"{stem}-r{secrets.token_hex(3)}")


# Each field's check, in the API's order (lora_kind.py declares its inputs with them).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "base_service_id": _base_service_id, "model_id": validate_model_id, "name": validate_name,
    "served_name": validate_served_names,
}
