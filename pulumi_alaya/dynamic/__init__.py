"""The dynamic Pulumi resource (Python programs, no plugin): ``LoraDeployment``, ``get_lora_deployment`` and
``BaseModelDeployment``.

An adapter over ``pulumi_alaya.owning``; its provider runs inside the engine's ``pulumi.dynamic`` server.
"""
