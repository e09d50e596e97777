# A user program written the manual's way (manual/pulumi.md, manual/python.md); pyright and mypy (strict) must accept it and flag exactly the lines
# marked PLANTED (typos and missing inputs a user makes).
import pulumi

import pulumi_alaya as alaya
from pulumi_alaya.client import AlayaCreatedNotReadyError, BaseModelDeployment, BaseModelSpec, LoraSpec

lora = alaya.LoraDeployment("support-bot", base_service_id="base-qwen2-7b", model_id="lora-support-v3",
                            served_names=["support-bot"])
pulumi.export("url", lora.openai_base_url)
pulumi.export("key", lora.api_key)
args = alaya.LoraDeploymentArgs(base_service_id="base-qwen2-7b", model_id="m", served_names=["s"])
by_args = alaya.LoraDeployment("by-args", args, pulumi.ResourceOptions(protect=True))
by_args_keywords = alaya.LoraDeployment("by-args-keywords", args=args, opts=pulumi.ResourceOptions())
with_opts = alaya.LoraDeployment("with-opts", pulumi.ResourceOptions(), base_service_id="b", model_id="m",
                                 served_names=["s"], name="n", wait_until_running=False, wait_timeout=60,
                                 offline_update=True, adopt_service_id="a")

other = alaya.get_lora_deployment_output(service_id="38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
seen = alaya.LoraDeployment.get("seen", "38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
now = alaya.get_lora_deployment("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
key_now: str | pulumi.Output[str] = now.api_key
model_now: str = now.model

with alaya.AlayaClient.from_env() as client:
    deployment: alaya.Deployment = client.wait_until_running("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", timeout=900)
    loras = client.lora_deployments
    read: alaya.Deployment = loras.get("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", wait=True, wait_timeout=900)
    spec: LoraSpec = loras.spec(base_service_id="b", model_id="m", name="n", served_names=["s"])
    try:
        made: alaya.Deployment = loras.deploy(spec, wait_timeout=900)
    except AlayaCreatedNotReadyError as error:
        resumed_id: str | None = error.service_id
        made = loras.update(error.service_id or "", {"model_id": "m2"}, restart=True)
    base: BaseModelDeployment = client.base_model_deployments.get("base-qwen2-7b", wait=True)
    base_spec: BaseModelSpec = client.base_model_deployments.spec(name="qwen")
    gone: bool = loras.delete(made.service_id)
    client.lora_deployments.deployy(spec)  # PLANTED

typo = alaya.LoraDeployment("typo", base_service_idd="base", model_id="m", served_names=["s"])  # PLANTED
class_typo = alaya.LoraDeploymentt("x", base_service_id="b", model_id="m", served_names=["s"])  # PLANTED
function_typo = alaya.get_lora_deployment_outputt(service_id="x")  # PLANTED
no_inputs = alaya.LoraDeployment("x")  # PLANTED
no_base = alaya.LoraDeployment("x", model_id="m", served_names=["s"])  # PLANTED
old_tracker = alaya.LoraDeployment("x", service_id="38fbfc3d-6a88-4c35-b8b6-9efc83949d47")  # PLANTED
