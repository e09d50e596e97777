"""Track a LoRA deployment and export what the next step needs: url, model and (as a secret) the apiKey."""

import pulumi

import pulumi_alaya as alaya

config = pulumi.Config()
service_id = config.require("serviceId")

# A resource: tracked in state, refreshed by `pulumi refresh`, never deleted remotely by `pulumi destroy`.
deployment = alaya.LoraDeployment("chat-lora", service_id=service_id, wait_timeout=900)

# A data source: read on every run, nothing stored but what you export.
info = alaya.get_lora_deployment_output(service_id=service_id)

pulumi.export("serviceUrl", deployment.service_url)
pulumi.export("openaiBaseUrl", deployment.openai_base_url)
pulumi.export("model", deployment.model)
pulumi.export("apiKey", deployment.api_key)  # secret: shown as [secret], encrypted in state
pulumi.export("status", info.status)
