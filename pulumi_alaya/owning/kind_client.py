"""The client calls an owner makes, by kind: one place that knows which client method serves which kind, so the
owner itself is written once for every kind."""

from __future__ import annotations

from typing import Any

from ..client import AlayaClient, BaseSpec, Deployment
from ..client.declaration import Kind

__all__ = ["create", "delete", "get", "update", "wait_until_running"]


def create(client: AlayaClient, kind: Kind, values: dict[str, Any]) -> str:
    """POST once (never repeated blindly); the new serviceId. ``values`` by the client's field names."""
    if kind.name == "lora":
        return client.create_lora_deployment(values["base_service_id"], values["model_id"], values["name"],
                                             values["served_name"])
    return client.create_base_deployment(BaseSpec.build(**values))


def get(client: AlayaClient, kind: Kind, service_id: str) -> Deployment:
    if kind.name == "lora":
        return client.get_deployment(service_id)
    return client.get_base_deployment(service_id)


def wait_until_running(client: AlayaClient, kind: Kind, service_id: str, seconds: float) -> Deployment:
    if kind.name == "lora":
        return client.wait_until_running(service_id, seconds)
    return client.get_base_deployment(service_id, wait=True, wait_timeout=seconds)


def update(client: AlayaClient, kind: Kind, service_id: str, values: dict[str, Any], seconds: float) -> Deployment:
    """The API's offline update with a restart (cancel, wait stopped, PUT, read back, wait running)."""
    if kind.name == "lora":
        return client.update_lora_deployment(service_id, base_service_id=values["base_service_id"],
                                             model_id=values["model_id"], name=values["name"],
                                             served_name=values["served_name"], restart=True, wait_timeout=seconds)
    return client.update_base_deployment(service_id, values, restart=True, wait_timeout=seconds)


def delete(client: AlayaClient, kind: Kind, service_id: str) -> bool:
    """True if it existed; a base model carrying LoRAs is refused as a conflict that names them."""
    if kind.name == "lora":
        return client.delete_deployment(service_id)
    return client.delete_base_deployment(service_id)
