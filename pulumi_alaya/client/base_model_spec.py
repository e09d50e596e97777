"""``BaseModelSpec`` and the base-model field rules, where programs import them from: the spec is the one spec of
every kind (``kind_spec.py``) bound to ``BASE_MODEL`` (``base_model_kind.py``), the rules live in
``base_model_rules.py``."""

from __future__ import annotations

from .base_model_kind import BaseModelSpec
from .base_model_rules import (
    BACKENDS,
    CHECKS,
    CPU,
    GPU_TYPE,
    MAX_COUNT,
    MEM,
    NAMESPACE,
    REPLACED_ON_CHANGE,
    VERSION,
)

__all__ = ["BACKENDS", "CHECKS", "CPU", "GPU_TYPE", "MAX_COUNT", "MEM", "NAMESPACE", "REPLACED_ON_CHANGE", "VERSION",
           "BaseModelSpec", "BaseSpec"]

BaseSpec = BaseModelSpec  # the 0.4 name, kept for one minor release
