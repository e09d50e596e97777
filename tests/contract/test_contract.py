"""One contract, five surfaces: the case table of tests/contract/cases.py on each, judged the same way."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_alaya.emulator import start_emulator

from contract.cases import ALL_CASES, seed
from contract.matrix import judge, run_surface
from contract.surfaces import SURFACES
from contract.writes import WRITE_SURFACES
from contract.writes import judge as judge_writes
from support.kind_specimens import SURFACES as KIND_SURFACES


@pytest.fixture(scope="module")
def contract_emulator(tmp_path_factory):
    state = tmp_path_factory.mktemp("contract") / "seed.json"
    state.write_text(json.dumps(seed()))
    emulator = start_emulator(state=str(state))
    yield emulator
    emulator.stop()


REFERENCES: dict[str, Any] = {}  # the Python client's results per kind: what every other surface must match
# Every case for every kind, on every surface that reaches the kind (support/kind_specimens.py: SURFACES).
BY_KIND_AND_SURFACE = [pytest.param(kind, surface, id=f"{kind}-{surface}" if kind != "lora" else surface)
                       for kind, surfaces in KIND_SURFACES.items() for surface in surfaces if surface in SURFACES]


def reference(emulator, kind):
    if kind not in REFERENCES:
        REFERENCES[kind] = run_surface(emulator, "python", kind)
    return REFERENCES[kind]


@pytest.mark.parametrize("kind,surface", BY_KIND_AND_SURFACE)
def test_surface_holds_the_contract(contract_emulator, kind, surface):
    expected = reference(contract_emulator, kind)
    result = expected if surface == "python" else run_surface(contract_emulator, surface, kind)
    verdict = judge(result, expected, contract_emulator)
    assert verdict.problems == []
    assert verdict.held == verdict.bounded == len(ALL_CASES)
    assert verdict.leaks == []


@pytest.mark.parametrize("surface", list(WRITE_SURFACES))
def test_surface_holds_the_write_contract(emulator_process, surface):
    assert judge_writes(emulator_process, surface) == []
