"""Every kind of deployment this project manages, in order: generators and front ends loop over ``KINDS``."""

from __future__ import annotations

from .base_model_kind import BASE_MODEL
from .declaration import REPLACE, UPDATE, Input, Kind
from .lora_kind import LORA

__all__ = ["BASE_MODEL", "KINDS", "LORA", "REPLACE", "UPDATE", "Input", "Kind", "kind_named"]

KINDS: tuple[Kind, ...] = (LORA, BASE_MODEL)


def kind_named(name: str) -> Kind:
    """The kind by its name ("lora", "base_model") or its resource name ("LoraDeployment")."""
    for kind in KINDS:
        if name in (kind.name, kind.resource):
            return kind
    raise KeyError(name)
