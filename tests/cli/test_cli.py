"""The ``alaya`` CLI as a pipeline runs it: a real process against the real emulator."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pytest

from support.seed import BROKEN, SUMMARY, SUPPORT, SUPPORT_KEY


def alaya(emulator, *args, env=None):
    full_env = {key: value for key, value in os.environ.items() if key != "GITHUB_OUTPUT"}
    full_env.update(emulator.env)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=60)


def test_json_output_uses_the_api_names_and_masks_the_key(emulator):
    run = alaya(emulator, "lora", "get", SUPPORT, "--output", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["serviceId"] == SUPPORT and data["servedName"] == ["support-bot"]
    assert data["apiKey"] == "***" and data["openaiBaseUrl"].endswith("/v1")
    assert set(data) == {"serviceId", "status", "serviceUrl", "apiKey", "servedName", "model", "baseServiceId",
                         "modelId", "name", "namespace", "openaiBaseUrl"}
    assert SUPPORT_KEY not in run.stdout + run.stderr


def test_show_secrets_prints_the_real_key(emulator):
    run = alaya(emulator, "lora", "get", SUPPORT, "-o", "json", "--show-secrets")
    assert json.loads(run.stdout)["apiKey"] == SUPPORT_KEY


def test_env_output_is_shell_safe(emulator):
    emulator.add_deployments({"serviceId": "quoted", "name": "it's $HOME `x`", "apiKey": "sk-q"})
    run = alaya(emulator, "lora", "get", "quoted", "-o", "env", "--show-secrets")
    shell = subprocess.run(["bash", "-c", run.stdout + 'printf "%s|%s" "$ALAYA_NAME" "$ALAYA_API_KEY"'],
                           capture_output=True, text=True)
    assert shell.stdout == "it's $HOME `x`|sk-q"


def environment_after_eval(emulator, *service_ids):
    """The README's recipe: assign, eval, then start a program; returns the environment that program sees."""
    script = ('out=$("$PYTHON" -m pulumi_alaya.cli lora get "$@" --output env --show-secrets) && eval "$out" '
              '&& "$PYTHON" -c "import json, os; print(json.dumps(dict(os.environ)))"')
    env = {**os.environ, **emulator.env, "PYTHON": sys.executable}
    run = subprocess.run(["bash", "-c", script, "bash", *service_ids], capture_output=True, text=True, env=env,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_env_output_is_exported_to_the_next_command(emulator):
    # A variable eval sets without export stays in the shell: python app.py (the openai SDK) would see none.
    seen = environment_after_eval(emulator, SUPPORT)
    assert seen["ALAYA_API_KEY"] == SUPPORT_KEY and seen["ALAYA_MODEL"] == "support-bot"
    assert seen["ALAYA_OPENAI_BASE_URL"] == seen["ALAYA_SERVICE_URL"] + "/v1"
    seen = environment_after_eval(emulator, SUPPORT, SUMMARY)
    assert seen["ALAYA_1_SERVICE_ID"] == SUPPORT and seen["ALAYA_2_SERVICE_ID"] == SUMMARY
    assert seen["ALAYA_1_API_KEY"] == SUPPORT_KEY


def test_table_output_lists_every_field(emulator):
    run = alaya(emulator, "lora", "get", SUPPORT)
    assert run.returncode == 0
    assert "serviceUrl" in run.stdout and "***" in run.stdout and SUPPORT_KEY not in run.stdout


def test_github_output_masks_first_and_writes_multiline_safe_outputs(emulator, tmp_path):
    sink = tmp_path / "github_output"
    run = alaya(emulator, "lora", "get", SUMMARY, "-o", "github", "--wait", "--wait-timeout", "60",
                env={"GITHUB_OUTPUT": str(sink)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "::add-mask::sk-emu-summary-3b7f09d1e6a4"
    text = sink.read_text()
    outputs = {}
    lines = iter(text.splitlines())
    for line in lines:
        name, delimiter = line.split("<<")
        outputs[name] = next(lines)
        assert next(lines) == delimiter
    assert outputs["api_key"] == "sk-emu-summary-3b7f09d1e6a4"
    assert json.loads(outputs["served_name"]) == ["summariser", "summariser-v1"]
    assert outputs["status"] == "running"


def test_wait_shows_progress_on_stderr_not_stdout(emulator):
    emulator.add_deployments({"serviceId": "slow", "statuses": ["starting", "running"]})
    run = alaya(emulator, "lora", "get", "slow", "--wait", "-o", "json")
    assert run.returncode == 0
    assert "slow is starting" in run.stderr and "slow is running" in run.stderr
    assert json.loads(run.stdout)["status"] == "running"


def test_smoke_calls_the_model(emulator):
    run = alaya(emulator, "lora", "get", SUPPORT, "--smoke")
    assert run.returncode == 0 and "smoke test of support-bot answered: 'Hello from support-bot" in run.stderr


@pytest.mark.parametrize(
    "args,env,code,needle",
    [
        (["lora", "get", "../x"], {}, 2, "is invalid"),
        (["lora", "get"], {}, 2, "SERVICE_ID"),
        (["lora", "get", "missing-1"], {}, 3, "HTTP 404"),
        (["lora", "get", SUPPORT], {"ALAYA_SECRET_KEY": "bad-secret-9"}, 4, "HTTP 401"),
        (["lora", "get", BROKEN, "--wait"], {}, 5, "is failed"),
        (["lora", "get", SUPPORT, "-o", "github"], {}, 2, "GITHUB_OUTPUT"),
        (["lora", "get", SUPPORT], {"ALAYA_BASE_URL": "http://10.1.2.3"}, 2, "plain http"),
        (["lora", "get", SUPPORT], {"ALAYA_ACCESS_KEY": ""}, 2, "access_key is missing"),
    ],
)
def test_errors_are_one_line_with_a_documented_exit_code(emulator, args, env, code, needle):
    run = alaya(emulator, *args, env=env)
    assert run.returncode == code
    assert needle in run.stderr
    assert "Traceback" not in run.stderr and "bad-secret-9" not in run.stderr
    assert run.stdout == ""


def test_wait_timeout_exit_code(emulator):
    emulator.add_deployments({"serviceId": "stuck", "statuses": ["starting"]})
    run = alaya(emulator, "lora", "get", "stuck", "--wait", "--wait-timeout", "0.5")
    assert run.returncode == 6 and "still starting" in run.stderr


def test_api_error_exit_code(emulator):
    emulator.set_faults({SUPPORT: {"times": -1, "status": 502, "body": "html"}})
    run = alaya(emulator, "lora", "get", SUPPORT, "--retries", "0")
    assert run.returncode == 7 and "HTTP 502" in run.stderr


# -- a hostile network, as a pipeline meets it: one line, a documented exit code, never a traceback ---------

@pytest.mark.parametrize("args,env,code", [
    (["--request-timeout", "nan"], {}, 2),
    (["--request-timeout", "inf"], {}, 2),
    (["--wait", "--wait-timeout", "nan"], {}, 2),
    ([], {"ALAYA_BASE_URL": "http://127.0.0.1:99999"}, 2),
    ([], {"ALAYA_BASE_URL": "http://127.0.0.1:abc"}, 2),
    ([], {"ALAYA_BASE_URL": "http://attacker.invalid\\@127.0.0.1:8780"}, 2),
])
def test_bad_numbers_and_urls_are_usage_errors(emulator, args, env, code):
    run = alaya(emulator, "lora", "get", SUPPORT, *args, env=env)
    assert run.returncode == code, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    assert emulator.requests() == []


@pytest.mark.parametrize("fault", [{"times": -1, "cut": True}, {"times": -1, "deep_json": 100_000},
                                   {"times": -1, "bad_gzip": True}, {"override": {"name": "a\n::stop-commands::x"}}])
def test_hostile_answers_exit_7_with_one_line(emulator, fault):
    emulator.set_faults({SUPPORT: fault})
    run = alaya(emulator, "lora", "get", SUPPORT, "-o", "env", "--retries", "1")
    assert run.returncode == 7 and run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_an_unwritable_github_output_is_one_line(emulator, tmp_path):
    run = alaya(emulator, "lora", "get", SUPPORT, "-o", "github", env={"GITHUB_OUTPUT": str(tmp_path)})
    assert run.returncode == 2 and "cannot write $GITHUB_OUTPUT" in run.stderr
    assert "::add-mask::" not in run.stdout and "Traceback" not in run.stderr


@pytest.mark.parametrize("output", ["github", "dotenv"])
def test_outputs_refuse_values_with_line_breaks(client, output):
    # The record already refuses them from the API; the renderers hold the line on their own too.
    import dataclasses

    from pulumi_alaya.cli.outputs import render

    forged = dataclasses.replace(client.get_deployment(SUPPORT), api_key="sk-a\n::set-output name=x::y")
    with pytest.raises(ValueError, match="control character"):
        render([forged], output, show_secrets=True)


def test_ctrl_c_is_exit_130_with_one_line(emulator):
    emulator.add_deployments({"serviceId": "slow", "status": "starting", "statuses": ["starting"]})
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_OUTPUT"}
    process = subprocess.Popen([sys.executable, "-m", "pulumi_alaya.cli", "lora", "get", "slow", "--wait"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**env, **emulator.env})
    assert process.stderr is not None
    assert "is starting" in process.stderr.readline()  # inside the wait now
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and err.strip() == "alaya: interrupted" and out == ""


def test_ctrl_c_during_create_wait_leaves_the_printed_service_id_behind(emulator):
    emulator.set_timing(3600, 1)  # it stays starting: the wait is what Ctrl-C interrupts
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_OUTPUT"}
    process = subprocess.Popen([sys.executable, "-m", "pulumi_alaya.cli", "lora", "create", "--base-service-id",
                                "base-qwen2-7b", "--model-id", "lora-x", "--name", "ctrl-c-lora", "--served-name",
                                "ctrl-c", "--wait", "-o", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**env, **emulator.env})
    assert process.stderr is not None
    created = process.stderr.readline()
    assert created.startswith("alaya: created ")
    service_id = created.split()[-1]
    assert f"{service_id} is starting" in process.stderr.readline()  # inside the wait now
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and err.strip() == "alaya: interrupted" and out == ""
    known = {d["serviceId"]: d["name"] for d in emulator.deployments()}
    assert known[service_id] == "ctrl-c-lora"  # what the printed line names exists: delete or keep it


# -- owning deployments ----------------------------------------------------------------------------------

def test_create_wait_then_update_and_delete(emulator):
    emulator.set_timing(0.2, 0.2)
    created = alaya(emulator, "lora", "create", "--base-service-id", "base-qwen2-7b", "--model-id", "lora-x",
                    "--name", "cli-lora", "--served-name", "cli-model", "--served-name", "cli-model-2", "--wait",
                    "-o", "json")
    assert created.returncode == 0, created.stderr
    data = json.loads(created.stdout)
    assert data["status"] == "running" and data["servedName"] == ["cli-model", "cli-model-2"]
    assert data["apiKey"] == "***" and f"alaya: created {data['serviceId']}" in created.stderr

    refused = alaya(emulator, "lora", "update", data["serviceId"], "--model-id", "lora-y")
    assert refused.returncode == 7 and "updates only stopped deployments" in refused.stderr

    updated = alaya(emulator, "lora", "update", data["serviceId"], "--model-id", "lora-y", "--restart", "-o", "json")
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["modelId"] == "lora-y" and "is stopped" in updated.stderr

    deleted = alaya(emulator, "lora", "delete", data["serviceId"], "--wait")
    assert deleted.returncode == 0 and "deleted" in deleted.stderr
    again = alaya(emulator, "lora", "delete", data["serviceId"])
    assert again.returncode == 0 and "already gone" in again.stderr


def test_create_needs_every_part_and_sends_nothing_without(emulator):
    run = alaya(emulator, "lora", "create", "--base-service-id", "base-qwen2-7b", "--name", "x")
    assert run.returncode == 2 and "--model-id, --served-name" in run.stderr
    assert emulator.requests() == []


def test_a_lost_create_answer_is_exit_9(emulator):
    emulator.set_faults({"lora:create": {"times": 1, "lost_after_create": True}})
    run = alaya(emulator, "lora", "create", "--base-service-id", "base-qwen2-7b", "--model-id", "m", "--name",
                "lost", "--served-name", "s")
    assert run.returncode == 9 and "Alaya console" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_one_read_imports_only_what_reading_needs(emulator):
    # Start-up is most of a pipeline step's cost (benchmarks/cli_cold_start.py): threads, pulumi and the emulator
    # serve other commands, so a single read must not load them; nor dataclasses (with inspect, ast and dis), which
    # the records no longer need (client/record.py).
    code = ("import sys; from pulumi_alaya.cli import main; code = main(['lora', 'get', sys.argv[1], '-o', 'json']); "
            "print([m for m in sys.argv[2:] if m in sys.modules], code, file=sys.stderr)")
    unneeded = ["concurrent.futures", "pulumi", "grpc", "pulumi_alaya.emulator", "pulumi_alaya.lora_deployment",
                "dataclasses", "inspect"]
    run = subprocess.run([sys.executable, "-c", code, SUPPORT, *unneeded], capture_output=True, text=True,
                         env={**os.environ, **emulator.env}, timeout=60)
    assert run.stderr.strip() == "[] 0" and json.loads(run.stdout)["serviceId"] == SUPPORT


def test_the_command_loads_without_the_cyclic_collector_and_leaves_it_on():
    """The collector scanning the loading modules over and over was about a tenth of a start: it is off while they
    load, they are frozen out of its way, and it is on again for what the command makes."""
    code = ("import gc, sys; from pulumi_alaya.cli import main; "
            "print(gc.isenabled(), gc.get_freeze_count() > 10000, 'requests' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["True", "True", "True"], run.stdout + run.stderr
    # A program that imports it: what was already garbage is collected, not frozen; its collector setting stays.
    code = ("import gc, weakref; gc.disable()\n"
            "class Cycle: pass\n"
            "cycle = Cycle(); cycle.me = cycle; gone = weakref.ref(cycle); del cycle\n"
            "from pulumi_alaya.cli import main\n"
            "print(gone() is None, gc.isenabled())")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == ["True", "False"], run.stdout + run.stderr


def test_version_and_plain_help():
    run = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "--version"], capture_output=True, text=True)
    assert run.stdout.startswith("alaya 0.")
    shown = subprocess.run([sys.executable, "-m", "pulumi_alaya.cli", "--help"], capture_output=True, text=True)
    assert "``" not in shown.stdout and "exit codes:" in shown.stdout


# -- pipelines: several IDs, dotenv, Kubernetes ----------------------------------------------------------

def test_several_ids_in_one_call_keep_their_order(emulator):
    run = alaya(emulator, "lora", "get", SUMMARY, SUPPORT, "--wait", "--wait-timeout", "30", "-o", "json")
    assert run.returncode == 0, run.stderr
    assert [item["serviceId"] for item in json.loads(run.stdout)] == [SUMMARY, SUPPORT]
    env = alaya(emulator, "lora", "get", SUPPORT, SUMMARY, "-o", "dotenv").stdout.splitlines()
    assert f"ALAYA_1_SERVICE_ID={SUPPORT}" in env and f"ALAYA_2_SERVICE_ID={SUMMARY}" in env


def test_several_ids_name_every_failure_and_print_nothing(emulator):
    run = alaya(emulator, "lora", "get", SUPPORT, "missing-one", BROKEN, "gone-two", "-o", "env", "--wait",
                "--wait-timeout", "5")
    assert run.returncode == 3 and run.stdout == ""  # the first failure in the order given decides
    errors = [line for line in run.stderr.splitlines() if line.startswith("alaya: error:")]
    assert len(errors) == 3 and all(sid in run.stderr for sid in ("missing-one", BROKEN, "gone-two"))
    assert "3 of 4 deployments failed; nothing was written" in run.stderr


def test_dotenv_is_plain_key_value_lines(emulator):
    emulator.add_deployments({"serviceId": "spaced", "name": "it's $HOME", "apiKey": "sk-d"})
    run = alaya(emulator, "lora", "get", "spaced", "-o", "dotenv", "--show-secrets")
    assert "ALAYA_NAME=it's $HOME" in run.stdout.splitlines() and "ALAYA_API_KEY=sk-d" in run.stdout


def test_k8s_secret_is_a_valid_kubernetes_secret(emulator):
    import kubernetes_validate
    import yaml

    refused = alaya(emulator, "lora", "get", SUPPORT, "-o", "k8s-secret")
    assert refused.returncode == 2 and "--show-secrets" in refused.stderr
    run = alaya(emulator, "lora", "get", SUPPORT, "-o", "k8s-secret", "--show-secrets", "--secret-name",
                "support-bot", "--namespace", "apps")
    manifest = yaml.safe_load(run.stdout)
    kubernetes_validate.validate(manifest, "1.30", strict=True)
    assert manifest["stringData"]["OPENAI_API_KEY"] == SUPPORT_KEY
    assert manifest["metadata"] == {**manifest["metadata"], "name": "support-bot", "namespace": "apps"}
    bad = alaya(emulator, "lora", "get", SUPPORT, "-o", "k8s-secret", "--show-secrets", "--secret-name", "Bad_Name")
    assert bad.returncode == 2 and "not a valid Kubernetes name" in bad.stderr


def test_a_bug_is_one_line_naming_its_type_and_the_command_exit_1(emulator, tmp_path):
    """A failure that is none of ours (here a client that cannot be made) is still one line, without its text."""
    (tmp_path / "sitecustomize.py").write_text(
        "import pulumi_alaya.cli.kind_commands as commands\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('sk-not-to-be-shown')\n"
        "commands.client_for = broken\n")
    run = alaya(emulator, "lora", "get", SUPPORT, env={"PYTHONPATH": str(tmp_path)})
    assert run.returncode == 1
    assert re.fullmatch(r"alaya: error: RuntimeError in lora get at pulumi_alaya/cli/kind_commands\.py:\d+: a bug; "
                        r"report it with the command that showed it\.\n", run.stderr), run.stderr
