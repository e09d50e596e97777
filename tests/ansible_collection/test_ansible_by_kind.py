"""Every kind's Ansible modules through real ansible-playbook runs against the emulator: the same options from
the kind's declaration, a create whose wait fails carrying service_id in its failed result (issue 28), resuming
and removing it by that service_id, and return_api_key on both kinds' modules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
import yaml

from pulumi_alaya.client.kinds import KINDS

from support.ansible_runner import REPO, ansible_env, playbook, write_playbook
from support.kind_specimens import specimen

BY_KIND = pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)


def test_the_module_docs_are_generated_from_the_declarations():
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_ansible.py"), "--check"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr


@BY_KIND
def test_the_options_are_the_declarations(kind):
    from ansible_collections.alayanew.serverless.plugins.module_utils._deployment_module import spec_argspec

    options = spec_argspec(kind)
    assert list(options) == [item.option for item in kind.spec_inputs]
    for item in kind.spec_inputs:
        assert options[item.option].get("choices", []) == list(item.choices)
    text = (REPO / f"ansible_collections/alayanew/serverless/plugins/modules/{kind.name}_deployment.py").read_text()
    documented = yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])["options"]
    assert list(documented) == list(options)


@BY_KIND
def test_a_create_whose_wait_fails_carries_service_id_and_resumes_or_is_removed(emulator, tmp_path, kind):
    emulator.set_timing(1.5, 0.0, base_startup_seconds=1.5)
    module = f"alayanew.serverless.{kind.name}_deployment"
    fields = textwrap.indent(yaml.safe_dump(specimen(kind).fields, default_flow_style=False), "    ")
    tasks = textwrap.indent(f"""\
- {module}:
{fields}    wait_timeout: 0.2
  register: made
  ignore_errors: true
- {module}:
    service_id: "{{{{ made.service_id }}}}"
    wait_timeout: 30
  register: resumed
- {module}_info:
    service_id: "{{{{ made.service_id }}}}"
    return_api_key: false
  register: read
- {module}:
    service_id: "{{{{ made.service_id }}}}"
    state: absent
  register: removed
- ansible.builtin.copy:
    content: "{{{{ {{'made': made, 'resumed': resumed, 'read': read, 'removed': removed}} | to_json }}}}"
    dest: "{tmp_path}/result.json"
""", "    ")
    run = playbook(write_playbook(tmp_path, tasks), ansible_env(emulator))
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    made = result["made"]
    assert made["failed"] and made["changed"] and made["service_id"]
    assert "was created but is not ready" in made["msg"]
    assert "Resume: run the task again with service_id=" in made["msg"]
    assert made["deployment"]["service_id"] == made["service_id"]
    assert result["resumed"]["deployment"]["status"] == "running" and not result["resumed"]["changed"]
    assert result["read"]["deployment"]["api_key"] == ""
    assert result["removed"]["changed"]
    assert [d["name"] for d in emulator.deployments()].count(specimen(kind).fields["name"]) == 0
