"""Deploy a LoRA on a running base-model service, own it, and wire its outputs into the next resource.

The next resource here is the app's config file (an OpenAI-style client config with the key, mode 0600): it
is rewritten whenever the deployment's URL, model or key changes, e.g. after a replacement.
"""

import json
import os
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider, UpdateResult

import pulumi_alaya as alaya

config = pulumi.Config()

lora = alaya.LoraDeployment(
    "support-bot",
    base_service_id=config.require("baseServiceId"),
    model_id=config.require("modelId"),
    served_names=[config.get("servedName") or "support-bot"],
    # Changing model_id or served_names creates the new deployment before deleting the old one (the model never
    # disappears); set offline_update=True to stop, update and restart the same deployment instead.
)


class AppConfigProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        self._write(props)
        return CreateResult(id_=props["path"], outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("path", "base_url", "model", "api_key")
        return DiffResult(changes=any(olds.get(k) != news.get(k) for k in keys), replaces=[])

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        self._write(news)
        return UpdateResult(outs=news)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        if os.path.exists(props["path"]):
            os.remove(props["path"])

    @staticmethod
    def _write(props: dict[str, Any]) -> None:
        fd = os.open(props["path"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as sink:
            json.dump({k: props[k] for k in ("base_url", "model", "api_key")}, sink)


class AppConfig(Resource):
    def __init__(self, name: str, path: str, base_url: Any, model: Any, api_key: Any) -> None:
        props = {"path": path, "base_url": base_url, "model": model, "api_key": api_key}
        super().__init__(AppConfigProvider(), name, props,
                         pulumi.ResourceOptions(additional_secret_outputs=["api_key"]))


app = AppConfig("app-config", config.get("appConfigPath") or os.path.abspath("app-config.json"),
                lora.openai_base_url, lora.model, lora.api_key)

pulumi.export("serviceId", lora.service_id)
pulumi.export("openaiBaseUrl", lora.openai_base_url)
pulumi.export("model", lora.model)
pulumi.export("apiKey", lora.api_key)
pulumi.export("appConfigPath", app.id)
