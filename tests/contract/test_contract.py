"""One contract, five surfaces: the case table of tests/contract/cases.py on each, judged the same way."""

from __future__ import annotations

import json

import pytest

from pulumi_alaya.emulator import start_emulator

from contract.cases import ALL_CASES, seed
from contract.matrix import judge, run_surface
from contract.surfaces import SURFACES
from contract.writes import WRITE_SURFACES
from contract.writes import judge as judge_writes


@pytest.fixture(scope="module")
def contract_emulator(tmp_path_factory):
    state = tmp_path_factory.mktemp("contract") / "seed.json"
    state.write_text(json.dumps(seed()))
    emulator = start_emulator(state=str(state))
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def reference(contract_emulator):
    return run_surface(contract_emulator, "python")


@pytest.mark.parametrize("surface", list(SURFACES))
def test_surface_holds_the_contract(contract_emulator, reference, surface):
    result = reference if surface == "python" else run_surface(contract_emulator, surface)
    verdict = judge(result, reference, contract_emulator)
    assert verdict.problems == []
    assert verdict.held == verdict.bounded == len(ALL_CASES)
    assert verdict.leaks == []


@pytest.mark.parametrize("surface", list(WRITE_SURFACES))
def test_surface_holds_the_write_contract(emulator_process, surface):
    assert judge_writes(emulator_process, surface) == []
