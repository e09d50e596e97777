# A user program written the README's way; pyright (strict) must accept it, and flag only the planted typo.
import pulumi

import pulumi_alaya as alaya

lora = alaya.LoraDeployment("support-bot", base_service_id="base-qwen2-7b", model_id="lora-support-v3",
                            served_names=["support-bot"])
pulumi.export("url", lora.openai_base_url)
pulumi.export("key", lora.api_key)

other = alaya.get_lora_deployment_output(service_id="38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
seen = alaya.LoraDeployment.get("seen", "38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
now = alaya.get_lora_deployment("38fbfc3d-6a88-4c35-b8b6-9efc83949d47")
key_now: str | pulumi.Output[str] = now.api_key
model_now: str = now.model

with alaya.AlayaClient.from_env() as client:
    deployment: alaya.Deployment = client.wait_until_running("38fbfc3d-6a88-4c35-b8b6-9efc83949d47", timeout=900)

typo = alaya.LoraDeployment("typo", base_service_idd="base", model_id="m", served_names=["s"])  # PLANTED
