"""One valid deployment per kind, for tests that run the same case for every kind (``client.kinds.KINDS``).

``fields`` are the spec's field names (the CLI's flags and the Ansible options, ``served_name`` singular), each
the declared ``Input.example``; ``change`` is an in-place (offline) update of it (``Input.other_example``).
``SURFACES`` names, per kind, the surfaces a by-kind table runs on: the Pulumi surfaces join by adding their
name here and a runner in the table's module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_alaya.client.kinds import KINDS, LORA, Kind
from pulumi_alaya.client.models import FIELDS

__all__ = ["SPECIMENS", "SURFACES", "Specimen", "specimen"]


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

    def shown(self) -> dict[str, Any]:
        """The kind's own fields as a GET answers them (where its record reads each output: at its API name, or
        inside the quickStart object for ``source="mode"``), from the specimen's values."""
        shared = {output.key for output in FIELDS}
        answer: dict[str, Any] = {}
        for output in self.kind.outputs:
            if output.key in shared or output.key not in self.fields and output.key not in self.defaults:
                continue
            value = self.fields.get(output.key, self.defaults.get(output.key))
            place = answer.setdefault("quickStart", {}) if output.source == "mode" else answer
            *parents, last = output.path or (output.api_name,)
            for parent in parents:
                place = place.setdefault(parent, {})
            place[last] = list(value) if isinstance(value, tuple) else value
        return {**answer, "mode": "quickStart"} if "quickStart" in answer else answer

    @property
    def defaults(self) -> dict[str, Any]:
        return self.kind.spec_type.defaults()


def _specimen(kind: Kind) -> Specimen:
    """The kind's declared examples (``Input.example``); the change: the first input with a second example."""
    fields = {item.option: item.example for item in kind.spec_inputs if item.example is not None}
    changed = next(item for item in kind.spec_inputs if item.other_example is not None)
    return Specimen(kind, fields, {changed.option: changed.other_example})


SPECIMENS = {kind.name: _specimen(kind) for kind in KINDS}

# The surfaces the contract tables (tests/contract: surfaces.SURFACES for reads, writes.WRITE_SURFACES) run each
# kind's cases on: every kind the surfaces whose runners take any kind; a surface whose runner handles one kind
# only (the lookup: LoRA today) joins that kind by its name here.
_EVERY_KIND = ("python", "cli", "pulumi", "ansible-module")
_ONLY = {LORA.name: ("ansible-lookup",)}
SURFACES: dict[str, tuple[str, ...]] = {kind.name: _EVERY_KIND + _ONLY.get(kind.name, ()) for kind in KINDS}


def specimen(kind: Kind | str) -> Specimen:
    return SPECIMENS[kind if isinstance(kind, str) else kind.name]
