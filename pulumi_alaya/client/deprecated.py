"""The 0.4 methods of ``AlayaClient``, kept for one minor release (removed in 0.6): each warns with its
replacement on ``client.lora_deployments`` / ``client.base_model_deployments`` and calls it."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .settings import DEFAULT_WAIT_TIMEOUT
from .spec import LoraSpec

if TYPE_CHECKING:  # only annotations: every client has these methods, few call them
    from .base_model_deployment import BaseModelDeployment
    from .base_model_spec import BaseModelSpec
    from .deployments import Deployments
    from .models import Deployment

__all__ = ["Deprecated04"]


class _Kinds(Protocol):
    @property
    def lora_deployments(self) -> Deployments[LoraSpec, Deployment]: ...

    @property
    def base_model_deployments(self) -> Deployments[BaseModelSpec, BaseModelDeployment]: ...


def _moved(old: str, new: str) -> None:
    warnings.warn(f"AlayaClient.{old} is deprecated and goes in 0.6: use client.{new}.", DeprecationWarning,
                  stacklevel=3)


class Deprecated04:
    def create_lora_deployment(self: _Kinds, base_service_id: str, model_id: str, name: str,
                               served_name: str | Sequence[str]) -> str:
        _moved("create_lora_deployment", "lora_deployments.create(LoraSpec.build(...))")
        return self.lora_deployments.create(LoraSpec.build(base_service_id, model_id, name, served_name))

    def update_lora_deployment(self: _Kinds, service_id: str, *, base_service_id: str | None = None,
                               model_id: str | None = None, name: str | None = None,
                               served_name: str | Sequence[str] | None = None, restart: bool = False,
                               wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                               on_status: Callable[[Deployment], None] | None = None,
                               current: Deployment | None = None) -> Deployment:
        _moved("update_lora_deployment", "lora_deployments.update(service_id, changes)")
        changes = {"base_service_id": base_service_id, "model_id": model_id, "name": name,
                   "served_name": served_name}
        return self.lora_deployments.update(service_id, changes, restart=restart, wait_timeout=wait_timeout,
                                            on_status=on_status, current=current)

    def read_deployment(self: _Kinds, service_id: str, *, wait: bool = False,
                        wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                        on_status: Callable[[Deployment], None] | None = None) -> Deployment:
        _moved("read_deployment", "lora_deployments.get(service_id, wait=...)")
        return self.lora_deployments.get(service_id, wait=wait, wait_timeout=wait_timeout, on_status=on_status)

    def cancel_deployment(self: _Kinds, service_id: str) -> None:
        _moved("cancel_deployment", "lora_deployments.cancel(service_id) (or base_model_deployments.cancel)")
        self.lora_deployments.cancel(service_id)

    def delete_deployment(self: _Kinds, service_id: str) -> bool:
        _moved("delete_deployment", "lora_deployments.delete(service_id)")
        return self.lora_deployments.delete(service_id)

    def create_base_deployment(self: _Kinds, spec: BaseModelSpec) -> str:
        _moved("create_base_deployment", "base_model_deployments.create(spec)")
        return self.base_model_deployments.create(spec)

    def get_base_deployment(self: _Kinds, service_id: str, *, wait: bool = False,
                            wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                            on_status: Callable[[Deployment], None] | None = None) -> BaseModelDeployment:
        _moved("get_base_deployment", "base_model_deployments.get(service_id, wait=...)")
        return self.base_model_deployments.get(service_id, wait=wait, wait_timeout=wait_timeout,
                                               on_status=on_status)

    def update_base_deployment(self: _Kinds, service_id: str, changes: Mapping[str, Any], *,
                               restart: bool = False, wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                               on_status: Callable[[Deployment], None] | None = None,
                               current: BaseModelDeployment | None = None) -> BaseModelDeployment:
        _moved("update_base_deployment", "base_model_deployments.update(service_id, changes)")
        return self.base_model_deployments.update(service_id, changes, restart=restart, wait_timeout=wait_timeout,
                                                  on_status=on_status, current=current)

    def delete_base_deployment(self: _Kinds, service_id: str) -> bool:
        _moved("delete_base_deployment", "base_model_deployments.delete(service_id)")
        return self.base_model_deployments.delete(service_id)
