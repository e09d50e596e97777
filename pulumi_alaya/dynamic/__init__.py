"""The dynamic Pulumi resource (Python programs, no plugin): ``LoraDeployment`` and ``get_lora_deployment``.

An adapter over ``pulumi_alaya.owning``; its provider runs inside the engine's ``pulumi.dynamic`` server.
"""
