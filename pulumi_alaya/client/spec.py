"""``LoraSpec`` and the LoRA field rules, where 0.4 programs import them from: the spec is the one spec of every
kind (``kind_spec.py``) bound to ``LORA`` (``lora_kind.py``), the rules live in ``spec_rules.py``."""

from __future__ import annotations

from .lora_kind import LoraSpec
from .spec_rules import (
    CHECKS,
    MODEL_ID,
    NAME,
    SERVED_NAME,
    field_problems,
    twin_name,
    validate_model_id,
    validate_name,
    validate_served_names,
)

__all__ = ["CHECKS", "MODEL_ID", "NAME", "SERVED_NAME", "LoraSpec", "twin_name", "validate_model_id", "validate_name",
           "validate_served_names", "field_problems"]
