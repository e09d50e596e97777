"""What a LoRA deployment is made of, checked before any request: the one place that knows the input rules.

``POST /deployment/lora`` and ``PUT /deployment/lora/{serviceId}`` both take ``{baseServiceId, modelId, name,
servedName[]}``. The public docs name the fields but not their limits, so the rules here are conservative:
what the console accepts and what can travel in a URL, a Kubernetes label and an OpenAI ``model`` field.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import AlayaInputError, AlayaWriteUncertainError, Subject, describe_service_id
from .rules import SERVICE_ID

__all__ = ["MODEL_ID", "NAME", "SERVED_NAME", "LoraSpec", "twin_name", "validate_model_id", "validate_name",
           "validate_served_names", "field_problems"]

_ID = SERVICE_ID  # a base-model deployment is named by its serviceId
MODEL_ID = re.compile(r"[A-Za-z0-9._/:@-]{1,256}")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}")
SERVED_NAME = re.compile(r"[A-Za-z0-9._/:@-]{1,128}")


def _identifier(value: Any, what: str, pattern: re.Pattern[str], rule: str) -> str:
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
_TWIN_SUFFIX = re.compile(r"-r[0-9a-f]{6}$")


def twin_name(name: str) -> str:
    """A fresh display name for a rotated deployment: names are unique in a namespace, and the old deployment
    still holds its name until the twin runs."""
    stem = _TWIN_SUFFIX.sub("", name)[:63 - 8]
    return validate_name(f"{stem}-r{secrets.token_hex(3)}")


# Each field's check, in the API's order: build() and problems() both run these (and lora_kind.py declares them).
CHECKS: dict[str, Callable[[Any], Any]] = {
    "base_service_id": _base_service_id, "model_id": validate_model_id, "name": validate_name,
    "served_name": validate_served_names,
}


@dataclass(frozen=True)
class LoraSpec:
    """The four things a LoRA deployment is made of, valid by construction."""

    DEFAULTS: ClassVar[Mapping[str, Any]] = {}  # every field is needed to create (the owners name one if unset)
    base_service_id: str
    model_id: str
    name: str
    served_name: tuple[str, ...]

    @classmethod
    def build(cls, base_service_id: Any, model_id: Any, name: Any, served_name: Any) -> LoraSpec:
        values = {"base_service_id": base_service_id, "model_id": model_id, "name": name,
                  "served_name": served_name}
        return cls(**{field: check(values[field]) for field, check in CHECKS.items()})

    @classmethod
    def updated(cls, current: Any, changes: Mapping[str, Any] | None = None, **more: Any) -> LoraSpec:
        """``current`` (a ``Deployment``) with the given fields changed (``changes`` or keywords, by field name);
        an unset (None) field keeps its value."""
        given = {**(changes or {}), **more}
        unknown = sorted(set(given) - set(CHECKS))
        if unknown:
            raise AlayaInputError(f"unknown LoRA field(s): {', '.join(unknown)}.")
        values = {field: getattr(current, field) if given.get(field) is None else given[field] for field in CHECKS}
        return cls.build(**values)

    @classmethod
    def twin(cls, current: Any, name: Any = None) -> LoraSpec:
        """What rotating ``current`` creates: the same model, base and served names under a fresh name, so a
        new deployment (and apiKey) runs beside the old one until the old is deleted (the API has no rotation)."""
        return cls.updated(current, name=twin_name(current.name) if name is None else name)

    @staticmethod
    def problems(**values: Any) -> dict[str, str]:
        """Each given field's refusal, by field name (empty when all are fine): for front ends that point at one."""
        return field_problems(CHECKS, "LoRA", values)

    @property
    def place(self) -> str:
        """Where to look for it in the console."""
        return f"namespace of {self.base_service_id}"

    def create_subject(self) -> Subject:
        return Subject(f"the new LoRA deployment {describe_service_id(self.name)} on base "
                       f"{describe_service_id(self.base_service_id)}", None)

    def uncertain(self, why: str) -> AlayaWriteUncertainError:
        return AlayaWriteUncertainError(
            f"Creating LoRA deployment {self.name!r} on {self.base_service_id} may have succeeded: {why}, so it "
            "was not retried (a retry could deploy it twice). Look for a deployment named "
            f"{self.name!r} in the Alaya console (the base service's namespace) before creating it again.",
            service_id=None)

    def to_api(self) -> dict[str, Any]:
        return {"baseServiceId": self.base_service_id, "modelId": self.model_id, "name": self.name,
                "servedName": list(self.served_name)}

    def differences(self, deployment: Any) -> list[str]:
        """The fields where ``deployment`` (a ``Deployment``) does not match this spec, by the API's names."""
        found = {"baseServiceId": deployment.base_service_id, "modelId": deployment.model_id,
                 "name": deployment.name, "servedName": list(deployment.served_name)}
        return [key for key, value in self.to_api().items() if found[key] != value]
