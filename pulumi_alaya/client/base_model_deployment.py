"""``BaseModelDeployment``, where programs import it from: a base-model deployment as ``GET /deployment/{serviceId}``
describes it, the one record of every kind (``kind_record.py``) bound to ``BASE_MODEL`` (``base_model_kind.py``)."""

from __future__ import annotations

from .base_model_kind import BaseModelDeployment

__all__ = ["BaseDeployment", "BaseModelDeployment"]

BaseDeployment = BaseModelDeployment  # the 0.4 name, kept for one minor release
