"""Programs for the interrupted-``up`` cases (imported by the program server, so free of test imports)."""

from __future__ import annotations

import pulumi

import pulumi_alaya as alaya

FLEET_SIZE = 3


def fleet() -> None:
    for n in range(FLEET_SIZE):
        lora = alaya.LoraDeployment(f"fleet-{n}", base_service_id="base-qwen2-7b", model_id=f"m-{n}",
                                    served_names=[f"fleet-{n}"], wait_timeout=300)
        pulumi.export(f"id{n}", lora.service_id)
