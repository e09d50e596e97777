"""One valid deployment per kind, for tests that run the same case for every kind (``client.kinds.KINDS``).

``fields`` are the spec's field names (the CLI's flags and the Ansible options, ``served_name`` singular);
``change`` is an in-place (offline) update of it. ``SURFACES`` names, per kind, the surfaces a by-kind table
runs on: the Pulumi surfaces join by adding their name here and a runner in the table's module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_alaya.client.kinds import BASE_MODEL, KINDS, LORA, Kind

__all__ = ["SPECIMENS", "SURFACES", "Specimen", "specimen"]

BASE = "base-qwen2-7b"  # the emulator's seeded running base model, that new LoRAs go on


@dataclass(frozen=True)
class Specimen:
    kind: Kind
    fields: dict[str, Any]
    change: dict[str, Any]
    # One invalid value per text input, by field: every check applies to every text field of every kind.
    bad: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.kind.name


SPECIMENS = {
    LORA.name: Specimen(LORA, {"base_service_id": BASE, "model_id": "lora-x", "name": "x-lora",
                               "served_name": ["x"]}, {"model_id": "lora-y"}),
    BASE_MODEL.name: Specimen(BASE_MODEL, {"vks_id": "vks-1", "namespace": "ns-a", "name": "qwen-base",
                                           "served_name": ["qwen"], "model_id": "qwen2-7b", "backend": "vllm",
                                           "backend_version": "0.6.3", "cpu": "8", "mem": "32Gi",
                                           "gpu_type": "A100", "gpu_count": 1}, {"backend_version": "0.7.0"}),
}
assert set(SPECIMENS) == {kind.name for kind in KINDS}, "every kind needs a specimen"

# The surfaces the contract tables (tests/contract: surfaces.SURFACES for reads, writes.WRITE_SURFACES) run each
# kind's cases on. Hook: a surface joins a kind by its name here once its runner handles the kind (the Pulumi
# runners and the lookup: LoRA today).
SURFACES: dict[str, tuple[str, ...]] = {LORA.name: ("python", "cli", "pulumi", "ansible-module", "ansible-lookup"),
                                        BASE_MODEL.name: ("python", "cli", "ansible-module")}
assert set(SURFACES) == set(SPECIMENS), "every kind names its surfaces"


def specimen(kind: Kind | str) -> Specimen:
    return SPECIMENS[kind if isinstance(kind, str) else kind.name]
