"""The OpenTofu/Terraform provider ``alayanew/alaya`` (plugin protocol 6), over the same client and owning rules
as the Pulumi providers: ``alaya_lora_deployment`` and ``alaya_base_model_deployment`` (resources and data
sources) and the ephemeral ``alaya_lora_deployment_key``. tofu starts it from the zip that
``scripts/terraform_mirror.py`` packs; ``python -m pulumi_alaya.terraform`` is what the zip's launcher runs.
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> int:
    from .plugin_server import serve, started_by_tofu

    if not started_by_tofu():  # before the heavy imports: a person running it gets the one line at once
        return 1
    from .service import ProviderService  # grpc alone: the provider itself loads on the first call needing it

    return serve(ProviderService(), on_stop=lambda: None)
