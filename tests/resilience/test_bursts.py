"""Bursts under the emulator's rate limit (a token bucket per access key), on every surface (issue 18, item 1).

Each must succeed with every deployment read or created exactly once, no request back before the Retry-After
it was given, and at least one 429 answered. No timing assertions: benchmarks/bursts.py measures the time.
"""

from __future__ import annotations

import json

import pytest

from support.burst_runs import (
    PROVIDERS,
    add_ids,
    ansible_creates,
    check_burst,
    cli_get,
    lookup,
    lora_program,
    pulumi_creates,
)


def test_cli_get_of_200_ids_in_one_call(emulator):
    ids = add_ids(emulator, "cli", 200)
    emulator.set_rate_limit(40)
    run = cli_get(emulator, ids)
    assert run.returncode == 0, run.stderr
    assert [d["serviceId"] for d in json.loads(run.stdout)] == ids
    check_burst(emulator, read=ids)


def test_the_lookup_over_200_ids_with_concurrency_64(emulator, tmp_path):
    ids = add_ids(emulator, "look", 200)
    emulator.set_rate_limit(40)
    run = lookup(emulator, ids, 64, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    check_burst(emulator, read=ids)


def test_a_play_creating_20_deployments_with_loop(emulator, tmp_path):
    # Module runs are sequential processes: one request a second (bucket of one) is what a loop can meet.
    emulator.set_timing(0, 0)
    emulator.set_rate_limit(1, burst=1)
    run = ansible_creates(emulator, 20, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    check_burst(emulator, created=20)


@pytest.mark.parametrize(("provider", "parallel"), [("dynamic", None), ("native", None), ("native", 64)],
                         ids=["dynamic", "native", "native-all-at-once"])
def test_pulumi_up_of_50_lora_deployments(engine, emulator, provider, parallel):
    # The dynamic provider's server runs 4 calls at a time; the native plugin as many as the engine sends (up to
    # 64 threads): with --parallel 64 all 50 creates go at once, and one adaptive rate per client holds them.
    emulator.set_timing(0, 0)
    emulator.set_rate_limit(10)
    stack = pulumi_creates(engine, f"alaya-burst-{provider}-{parallel}", lora_program(50, provider=provider), 50,
                           PROVIDERS[provider][1], parallel)
    check_burst(emulator, created=50)
    stack.destroy()
