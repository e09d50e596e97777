"""Programs for the interrupted-``up`` cases (imported by the program server, so free of test imports)."""

from __future__ import annotations

import importlib

import pulumi

FLEET_SIZE = 3


def _fleet(module: str) -> None:
    alaya = importlib.import_module(module)
    for n in range(FLEET_SIZE):
        lora = alaya.LoraDeployment(f"fleet-{n}", base_service_id="base-qwen2-7b", model_id=f"m-{n}",
                                    served_names=[f"fleet-{n}"], wait_timeout=300)
        pulumi.export(f"id{n}", lora.service_id)


def fleet() -> None:
    """Through the dynamic provider (``pulumi_alaya``)."""
    _fleet("pulumi_alaya")


def native_fleet() -> None:
    """The same fleet through the schema-based provider (``pulumi_alaya_native``, the plugin ``alaya``)."""
    _fleet("pulumi_alaya_native")
