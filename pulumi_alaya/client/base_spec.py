"""The 0.4 module name of ``base_model_spec`` (kept for one minor release; removed in 0.6)."""

from __future__ import annotations

from .base_model_spec import (
    BACKENDS,
    CHECKS,
    CPU,
    GPU_TYPE,
    MAX_COUNT,
    MEM,
    NAMESPACE,
    REPLACED_ON_CHANGE,
    VERSION,
    BaseModelSpec,
    BaseSpec,
)

__all__ = ["BACKENDS", "CHECKS", "CPU", "GPU_TYPE", "MAX_COUNT", "MEM", "NAMESPACE", "REPLACED_ON_CHANGE", "VERSION",
           "BaseModelSpec", "BaseSpec"]
