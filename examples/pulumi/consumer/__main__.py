"""Consume the LoRA stack's outputs: render an app config whose key stays secret."""

import json

import pulumi

config = pulumi.Config()
lora = pulumi.StackReference(config.require("loraStack"))  # e.g. "organization/alaya-lora/dev"

app_config = pulumi.Output.all(
    lora.require_output("openaiBaseUrl"), lora.require_output("model"), lora.require_output("apiKey")
).apply(lambda args: json.dumps({"base_url": args[0], "model": args[1], "api_key": args[2]}))

pulumi.export("chatEndpoint", lora.require_output("serviceUrl"))
pulumi.export("appConfig", pulumi.Output.secret(app_config))
