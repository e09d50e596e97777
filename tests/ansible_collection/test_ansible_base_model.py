"""The base-model modules through real ansible-playbook runs against the emulator: the whole-stack example
(base -> two LoRAs -> app config -> teardown in order), check mode, diff, and bad input."""

from __future__ import annotations

import json
import shutil
import textwrap

import requests

from support.ansible_runner import REPO, ansible_env, playbook, write_playbook

BASE = """\
vks_id: vks-1
namespace: ns-a
name: qwen-base
served_name: [qwen]
model_id: qwen2-7b
backend: vllm
backend_version: 0.6.3
cpu: "8"
mem: 32Gi
gpu_type: A100
"""


def test_the_whole_stack_example_stands_up_and_tears_down_in_order(emulator, tmp_path):
    emulator.set_timing(0.1, 0.1, base_startup_seconds=0.2)
    example = tmp_path / "whole-stack.yml"
    shutil.copy(REPO / "examples" / "ansible" / "whole-stack.yml", example)
    run = playbook(example, ansible_env(emulator))
    assert run.returncode == 0, run.stdout + run.stderr
    config = json.loads((tmp_path / "app-config.json").read_text())
    assert [m["model"] for m in config["models"]] == ["support-bot", "summariser"]
    for model in config["models"]:  # the app can call each adapter with what the playbook handed it
        answer = requests.post(model["openai_base_url"] + "/chat/completions", headers={"apiKey": model["api_key"]},
                               json={"model": model["model"], "messages": [{"role": "user", "content": "hi"}]},
                               timeout=10)
        assert answer.status_code == 200
    assert "sk-" not in run.stdout + run.stderr
    ids = json.loads((tmp_path / "stack-ids.json").read_text())
    emulator.clear_requests()
    down = playbook(example, ansible_env(emulator), "-e", "teardown=true")
    assert down.returncode == 0, down.stdout + down.stderr
    deletes = [r["path"].rsplit("/", 1)[1] for r in emulator.requests() if r["method"] == "DELETE"]
    assert deletes == [*ids["loras"], ids["base"]]
    assert all(d["name"] != "qwen-base" for d in emulator.deployments())


def test_check_mode_diff_and_bad_input(emulator, tmp_path):
    emulator.set_timing(0.1, 0.1, base_startup_seconds=0.1)
    tasks = textwrap.indent(f"""\
- alayanew.serverless.base_model_deployment:
{textwrap.indent(BASE, '    ')}    gpu_count: 1
  check_mode: true
  diff: true
  register: planned
- alayanew.serverless.base_model_deployment:
{textwrap.indent(BASE, '    ')}    gpu_count: 0
  register: refused
  ignore_errors: true
- alayanew.serverless.base_model_deployment_info:
    service_id: base-qwen2-7b
  register: seeded
- ansible.builtin.copy:
    content: "{{{{ {{'planned': planned, 'refused': refused, 'seeded': seeded.deployment.status}} | to_json }}}}"
    dest: "{tmp_path}/result.json"
""", "    ")
    run = playbook(write_playbook(tmp_path, tasks), ansible_env(emulator))
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["planned"]["changed"] is True and result["planned"]["diff"]["after"]["gpu_count"] == 1
    assert result["refused"]["failed"] and "gpu_count must be a positive whole number" in result["refused"]["msg"]
    assert result["seeded"] == "running"
    assert [r for r in emulator.requests() if r["method"] != "GET"] == []  # check mode and bad input wrote nothing
