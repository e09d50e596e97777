"""The Ansible collection through real ansible-playbook runs against the emulator."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from support.ansible_runner import COLLECTION, REPO, ansible_env, playbook, tool, write_playbook
from support.restarts import ClientLog
from support.seed import SUMMARY, SUPPORT, SUPPORT_KEY

SENTINEL = "sk-SENTINEL-ansible-secret-77"


def tasks(text: str) -> str:
    return textwrap.indent(textwrap.dedent(text), "    ")


def test_example_playbook_chats_with_the_served_model_and_prints_no_secret(emulator):
    run = playbook(REPO / "examples" / "ansible" / "playbook.yml", ansible_env(emulator), "-v")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "support-bot answered: Hello from support-bot" in run.stdout
    assert "summariser-lora: " in run.stdout and "serves summariser, summariser-v1 (running)" in run.stdout
    output = run.stdout + run.stderr
    assert SUPPORT_KEY not in output and "sk-emu-summary" not in output and "demo-sk" not in output


def test_deploy_example_creates_smoke_tests_and_removes_a_deployment(emulator):
    emulator.set_timing(0.3, 0.3)
    run = playbook(REPO / "examples" / "ansible" / "deploy.yml", ansible_env(emulator), "-v")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "serves support-bot-v5: Hello from support-bot-v5" in run.stdout
    created = [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith("/lora")]
    deleted = [r for r in emulator.requests() if r["method"] == "DELETE"]
    assert len(created) == 1 and len(deleted) == 1
    assert "sk-" not in run.stdout + run.stderr
    assert not (REPO / "examples" / "ansible" / "support-bot-v5.env").exists()


def test_module_returns_every_field_and_never_changes(emulator, tmp_path):
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {SUMMARY}
            wait: true
            smoke: true
          register: lora
        - ansible.builtin.copy:
            content: "{{{{ lora | to_json }}}}"
            dest: "{tmp_path}/result.json"
        """))
    run = playbook(path, ansible_env(emulator))
    assert run.returncode == 0, run.stdout
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["changed"] is False
    assert result["smoke_reply"].startswith("Hello from summariser")
    dep = result["deployment"]
    assert set(dep) == {"service_id", "status", "service_url", "api_key", "served_name", "model", "base_service_id",
                        "model_id", "name", "namespace", "openai_base_url"}
    assert dep["status"] == "running" and dep["served_name"] == ["summariser", "summariser-v1"]


def test_an_update_reads_the_deployment_once_before_it_writes(emulator, client, tmp_path):
    service_id = client.create_lora_deployment("base-qwen2-7b", "lora-support-v3", "read-once", ["read-once"])
    client.wait_until_running(service_id, 60)
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment:
            service_id: {service_id}
            model_id: lora-support-v4
            restart: true
            wait: false
        """))
    emulator.clear_requests()
    run = playbook(path, ansible_env(emulator))
    assert run.returncode == 0, run.stdout
    methods = [r["method"] for r in emulator.requests(service_id)]
    assert methods[:2] == ["GET", "POST"]  # one read, then the cancel: "unset keeps its value" is the client's


def test_return_api_key_false_keeps_the_key_out_of_the_result_and_the_output(emulator, tmp_path):
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {SUPPORT}
            return_api_key: false
          register: lora
        - ansible.builtin.copy:
            content: "{{{{ lora | to_json }}}}"
            dest: "{tmp_path}/result.json"
        """))
    run = playbook(path, ansible_env(emulator), "-vvv")  # no no_log: nothing to hide
    assert run.returncode == 0, run.stdout
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["deployment"]["api_key"] == "" and result["deployment"]["model"] == "support-bot"
    assert SUPPORT_KEY not in run.stdout + run.stderr


def test_check_mode_still_reads(emulator, tmp_path):
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {SUPPORT}
          register: lora
          check_mode: true
        - ansible.builtin.assert:
            that: [lora.deployment.model == 'support-bot', not lora.changed]
        """))
    run = playbook(path, ansible_env(emulator))
    assert run.returncode == 0, run.stdout
    assert len(emulator.requests("/deployment/" + SUPPORT)) == 1


def test_module_defaults_group_sets_the_connection(emulator, tmp_path):
    defaults = textwrap.indent(textwrap.dedent(f"""\
        module_defaults:
          group/alayanew.serverless.alaya:
            base_url: {emulator.url}
            access_key: demo-ak
            secret_key: demo-sk
        """), "  ")
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {SUPPORT}
          register: lora
        - ansible.builtin.assert:
            that: [lora.deployment.status == 'running']
        """), defaults)
    run = playbook(path, ansible_env(None))  # no ALAYA_* in the environment: only module_defaults
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize(
    "args,env,needle",
    [
        ("service_id: missing-1", {}, "HTTP 404 for serviceId 'missing-1'"),
        (f"service_id: {SUPPORT}", {"ALAYA_SECRET_KEY": SENTINEL}, "HTTP 401"),
        ("service_id: ../x", {}, "is invalid"),
        (f"service_id: {SUPPORT}", {"ALAYA_BASE_URL": "http://192.0.2.1"}, "plain http to a non-loopback host"),
    ],
)
def test_module_failures_are_one_clear_msg_without_secrets(emulator, tmp_path, args, env, needle):
    path = write_playbook(tmp_path, tasks(f"- alayanew.serverless.lora_deployment_info:\n    {args}\n"))
    run = playbook(path, ansible_env(emulator, **env), "-vvv")
    output = run.stdout + run.stderr
    assert run.returncode == 2 and needle in output
    assert SENTINEL not in output and "demo-sk" not in output and "Traceback" not in output


def test_lookup_reads_many_ids_and_errors_cleanly(emulator, tmp_path):
    path = write_playbook(tmp_path, tasks(f"""\
        - ansible.builtin.set_fact:
            deps: "{{{{ lookup('alayanew.serverless.lora_deployment', '{SUPPORT}', '{SUMMARY}', wait=true) }}}}"
            one: "{{{{ lookup('alayanew.serverless.lora_deployment', '{SUPPORT}') }}}}"
          no_log: true
        - ansible.builtin.assert:
            that:
              - deps | map(attribute='model') | list == ['support-bot', 'summariser']
              - one.service_id == '{SUPPORT}'
        - ansible.builtin.debug:
            msg: "{{{{ lookup('alayanew.serverless.lora_deployment', 'missing-2') }}}}"
        """))
    run = playbook(path, ansible_env(emulator), "-vvvv")
    output = run.stdout + run.stderr
    assert run.returncode == 2
    assert "HTTP 404 for serviceId 'missing-2'" in output
    assert SUPPORT_KEY not in output and "sk-emu-summary" not in output and "demo-sk" not in output


def test_lookup_takes_options_from_vars(emulator, tmp_path):
    play_vars = f"  vars:\n    alaya_base_url: {emulator.url}\n    alaya_access_key: demo-ak\n" \
                "    alaya_secret_key: demo-sk\n"
    path = write_playbook(tmp_path, tasks(f"""\
        - ansible.builtin.assert:
            that: lookup('alayanew.serverless.lora_deployment', '{SUPPORT}').model == 'support-bot'
        """), play_vars)
    run = playbook(path, ansible_env(None))
    assert run.returncode == 0, run.stdout


@pytest.mark.parametrize("args,own_option", [(["alayanew.serverless.lora_deployment_info"], "service_id"),
                                             (["alayanew.serverless.lora_deployment"], "served_name"),
                                             (["-t", "lookup", "alayanew.serverless.lora_deployment"], "concurrency")])
def test_ansible_doc_renders(args, own_option):
    run = subprocess.run([tool("ansible-doc"), *args], env=ansible_env(None), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert own_option in run.stdout
    assert "secret_key" in run.stdout and "ALAYA_SECRET_KEY" in run.stdout


def _bare_python(tmp_path: Path, with_requests: bool) -> str:
    """A Python that has requests (copied from this one) but certainly not pulumi_alaya."""
    venv = tmp_path / ("with-requests" if with_requests else "bare")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    if with_requests:
        libs = tmp_path / "libs"
        import certifi
        import charset_normalizer
        import idna
        import requests
        import urllib3

        libs.mkdir()
        for module in (requests, urllib3, idna, charset_normalizer, certifi):
            source = Path(module.__file__).parent
            shutil.copytree(source, libs / source.name)
        site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        Path(site, "requests-only.pth").write_text(str(libs) + "\n")
    probe = subprocess.run([python, "-c", "import pulumi_alaya"], capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0, "the test Python must not have pulumi_alaya"
    return python


@pytest.fixture(scope="module")
def installed_collection(tmp_path_factory):
    work = tmp_path_factory.mktemp("galaxy")
    # Away from the repository's ansible.cfg, which puts this checkout's copy on the collections path.
    env = ansible_env(None, collections_path=work / "installed")
    build = subprocess.run([tool("ansible-galaxy"), "collection", "build", str(COLLECTION), "--output-path",
                            str(work)], capture_output=True, text=True, timeout=120, env=env, cwd=work)
    assert build.returncode == 0, build.stderr
    tarball = next(work.glob("alayanew-serverless-*.tar.gz"))
    install = subprocess.run([tool("ansible-galaxy"), "collection", "install", str(tarball), "-p",
                              str(work / "installed")], capture_output=True, text=True, timeout=120, env=env, cwd=work)
    assert install.returncode == 0, install.stderr
    installed = work / "installed/ansible_collections/alayanew/serverless"
    assert (installed / "plugins/module_utils/_vendor/alaya_client/api.py").exists(), install.stdout
    assert not (installed / "tests/integration/inventory").exists()  # machine-specific: never shipped
    return work / "installed"


def test_built_collection_runs_on_a_python_without_pulumi_alaya(emulator, tmp_path, installed_collection):
    python = _bare_python(tmp_path, with_requests=True)
    path = write_playbook(tmp_path, tasks(f"""\
        - alayanew.serverless.lora_deployment_info:
            service_id: {SUPPORT}
          register: lora
        - ansible.builtin.assert:
            that: [lora.deployment.model == 'support-bot']
        """))
    # Extra vars beat the implicit localhost's ansible_playbook_python.
    run = playbook(path, ansible_env(emulator, installed_collection), "-e", f"ansible_python_interpreter={python}")
    assert run.returncode == 0, run.stdout + run.stderr


def test_without_requests_the_module_says_so(emulator, tmp_path, installed_collection):
    python = _bare_python(tmp_path, with_requests=False)
    path = write_playbook(tmp_path, tasks(f"- alayanew.serverless.lora_deployment_info:\n    service_id: {SUPPORT}\n"))
    run = playbook(path, ansible_env(emulator, installed_collection), "-e", f"ansible_python_interpreter={python}")
    assert run.returncode == 2
    assert "Failed to import the required Python library (requests)" in run.stdout


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_play_killed_mid_create_then_rerun_makes_no_duplicate(emulator, tmp_path, sig):
    # ansible-playbook drops a module's result when it is interrupted (SIGINT: "User interrupted execution",
    # exit 99; SIGTERM: killed), so no message of ours can name the new serviceId. What holds is the API's
    # rule that a name exists once per namespace: the rerun is refused and names it, never a second one.
    emulator.set_timing(3600, 1)  # the create is answered, the wait is what gets interrupted
    log = ClientLog()
    path = write_playbook(tmp_path, tasks("""\
        - alayanew.serverless.lora_deployment:
            base_service_id: base-qwen2-7b
            model_id: lora-x
            name: interrupted-lora
            served_name: [interrupted]
        """))
    process = subprocess.Popen([tool("ansible-playbook"), str(path)], env=ansible_env(emulator, **log.env),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    try:
        log.until(lambda line: line.startswith("POST ") and "-> HTTP 200" in line, "the create answered")
        log.until(lambda line: line.startswith("GET "), "the wait polling")
        process.send_signal(sig)
        out, _ = process.communicate(timeout=60)
    finally:
        log.close()
    assert process.returncode == (99 if sig == signal.SIGINT else -sig), out
    named = [d for d in emulator.deployments() if d["name"] == "interrupted-lora"]
    assert len(named) == 1

    rerun = playbook(path, ansible_env(emulator))
    assert rerun.returncode == 2 and "name interrupted-lora is already taken" in rerun.stdout, rerun.stdout
    assert [d for d in emulator.deployments() if d["name"] == "interrupted-lora"] == named
