"""``alaya <kind> ...`` for every kind, built from the declarations: the same flags the declaration names, the
wait flag named for what it is, and a create whose wait fails (issue 28) handing on what it made."""

from __future__ import annotations

import json

import pytest
from test_cli import alaya

from pulumi_alaya.cli import EXIT_CREATED_NOT_READY
from pulumi_alaya.cli.exit_codes import DOC
from pulumi_alaya.client.kinds import KINDS

from support.kind_specimens import specimen

BY_KIND = pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)


def create_args(kind):
    args = []
    for item in kind.spec_inputs:
        value = specimen(kind).fields.get(item.option)
        for one in value if isinstance(value, list) else [] if value is None else [value]:
            args += [f"{item.cli_flag}={one}"]
    return args


@BY_KIND
def test_the_flags_are_the_declarations(emulator, kind):
    shown = alaya(emulator, kind.command, "create", "--help").stdout
    assert all(item.cli_flag in shown for item in kind.spec_inputs)
    needs = alaya(emulator, kind.command, "create")
    wanted = ", ".join(item.cli_flag for item in kind.needed_to_create)
    assert needs.returncode == 2 and needs.stderr.strip() == f"alaya: error: {kind.command} create needs {wanted}."


@BY_KIND
def test_a_create_whose_wait_runs_out_prints_what_it_made_and_how_to_go_on(emulator, kind):
    emulator.set_timing(60.0, 0.0, base_startup_seconds=60.0)
    run = alaya(emulator, kind.command, "create", *create_args(kind), "--wait", "--wait-timeout", "0.5", "-o", "json")
    assert run.returncode == EXIT_CREATED_NOT_READY == 10, run.stderr
    made = json.loads(run.stdout)
    sid = made["serviceId"]
    assert made["status"] == "starting" and made["name"] == specimen(kind).fields["name"]
    error = [line for line in run.stderr.splitlines() if line.startswith("alaya: error:")]
    assert len(error) == 1 and "still starting, not running, after waiting 0.5s" in error[0]
    assert f"Resume: alaya {kind.command} get {sid} --wait; clean up: alaya {kind.command} delete {sid}" in error[0]
    assert [d["serviceId"] for d in emulator.deployments()].count(sid) == 1
    resumed = alaya(emulator, kind.command, "delete", sid)
    assert resumed.returncode == 0 and "deleted" in resumed.stderr


def test_exit_code_10_is_documented(emulator):
    assert "10   created, but not running" in DOC and "10   created" in alaya(emulator, "--help").stdout


def test_the_old_timeout_flag_still_works_and_says_its_new_name(emulator):
    run = alaya(emulator, "lora", "get", "stuck", "--wait", "--timeout", "0.3")
    assert run.returncode == 3 or "after waiting 0.3s" in run.stderr
    assert "alaya: warning: --timeout is now --wait-timeout" in run.stderr


def test_the_old_base_subcommand_is_an_alias(emulator):
    run = alaya(emulator, "base", "get", "base-qwen2-7b", "-o", "json")
    assert run.returncode == 0, run.stderr and json.loads(run.stdout)["serviceId"] == "base-qwen2-7b"
