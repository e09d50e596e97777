"""Read a LoRA deployment someone else owns and export what the next step needs: url, model, apiKey (secret)."""

import pulumi

import pulumi_alaya as alaya

config = pulumi.Config()
service_id = config.require("serviceId")

# Read into the stack, not owned: refresh re-reads it, destroy only forgets it.
deployment = alaya.LoraDeployment.get("chat-lora", service_id)

# A data source: read on every run (here after waiting until it runs), nothing stored but what you export.
info = alaya.get_lora_deployment_output(service_id=service_id, wait_until_running=True, wait_timeout=900)

pulumi.export("serviceUrl", deployment.service_url)
pulumi.export("openaiBaseUrl", deployment.openai_base_url)
pulumi.export("model", deployment.model)
pulumi.export("apiKey", deployment.api_key)  # secret: shown as [secret], encrypted in state
pulumi.export("status", info.status)
