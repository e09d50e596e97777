"""The LoRA deployment, declared once: ``POST /deployment/lora`` and ``PUT /deployment/lora/{serviceId}`` with
``{baseServiceId, modelId, name, servedName[]}`` (docs/alaya-api.md); every front end is built from ``LORA``."""

from __future__ import annotations

from .declaration import UPDATE, Input, Kind
from .kind_spec import KindSpec
from .models import FIELDS
from .owner_settings import OFFLINE_UPDATE, STORE_API_KEY, WAIT_TIMEOUT, WAIT_UNTIL_RUNNING
from .rules import SERVICE_ID
from .spec_rules import CHECKS, MODEL_ID, NAME, SERVED_NAME

__all__ = ["LORA", "LoraSpec"]

LORA = Kind(
    name="lora",
    title="LoRA deployment",
    resource="LoraDeployment",
    create_path="/deployment/lora",
    update_path="/deployment/lora/{service_id}",
    description="A LoRA model deployed on a running base-model deployment (Alaya NeW serverless inference).",
    offline_opt_in=True,
    outputs=FIELDS,
    where="on base {base_service_id}",
    place="namespace of {base_service_id}",
    marker="base_service_id",
    away="the served model",
    since=("0.2.0", "0.1.0"),
    inputs=(
        Input("base_service_id", "baseServiceId", "string",
              "serviceId of the running base-model deployment the LoRA goes on.", required=True,
              change=UPDATE, spec_field="base_service_id", pattern=SERVICE_ID.pattern,
              check=CHECKS["base_service_id"], example="base-qwen2-7b", refers_to="base_model"),
        Input("model_id", "modelId", "string", "The LoRA model to deploy.", required=True, change=UPDATE,
              spec_field="model_id", pattern=MODEL_ID.pattern, check=CHECKS["model_id"], example="lora-x",
              other_example="lora-y"),
        Input("name", "name", "string",
              "Display name, unique in the base service's namespace. Default: the resource name plus a random "
              "suffix, so a replacement can be created before the old deployment is deleted.",
              change=UPDATE, spec_field="name", pattern=NAME.pattern, check=CHECKS["name"],
              summary="Display name, unique in the base service's namespace.", example="x-lora"),
        Input("served_names", "servedNames", "strings",
              "Names a chat request may put in model (the first is the model output).", required=True,
              change=UPDATE, spec_field="served_name", pattern=SERVED_NAME.pattern, check=CHECKS["served_name"],
              example=["x"]),
        WAIT_UNTIL_RUNNING, WAIT_TIMEOUT, OFFLINE_UPDATE, STORE_API_KEY,
    ),
)


class LoraSpec(KindSpec):
    """A LoRA deployment's spec: the one spec (``kind_spec.KindSpec``) bound to ``LORA``, with no code of its own.

    >>> LoraSpec.build(base_service_id="base-qwen2-7b", model_id="lora-x", name="x-lora", served_name=["x"])
    """

    kind = LORA
