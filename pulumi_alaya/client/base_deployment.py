"""The 0.4 module name of ``base_model_deployment`` (kept for one minor release; removed in 0.6)."""

from __future__ import annotations

from .base_model_deployment import BaseDeployment, BaseModelDeployment

__all__ = ["BaseDeployment", "BaseModelDeployment"]
