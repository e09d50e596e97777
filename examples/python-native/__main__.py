"""Deploy a LoRA with the schema-based provider from Python, hand its outputs on, read one you do not own.

``pulumi_alaya_native`` is generated from the provider's schema (like every other language's SDK); the
resource it makes is ``alaya:index:LoraDeployment``, which ``pulumi import`` can bring into a stack.
"""

import pulumi
import pulumi_alaya_native as alaya

config = pulumi.Config()

support = alaya.LoraDeployment(
    "support-bot",
    base_service_id=config.require("baseServiceId"),
    model_id=config.require("modelId"),
    served_names=["support-bot"],
)
# The next resource takes the first one's outputs: a canary of the same model on the same base service.
canary = alaya.LoraDeployment(
    "canary",
    base_service_id=support.base_service_id,
    model_id=support.model_id,
    served_names=[support.model.apply(lambda model: f"{model}-canary")],
)
seen = alaya.get_lora_deployment_output(service_id=config.require("readServiceId"))

pulumi.export("serviceId", support.service_id)
pulumi.export("openaiBaseUrl", support.openai_base_url)
pulumi.export("model", support.model)
pulumi.export("apiKey", support.api_key)
pulumi.export("canaryModel", canary.model)
pulumi.export("readModel", seen.model)
