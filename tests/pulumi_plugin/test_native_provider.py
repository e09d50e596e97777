"""The schema-based provider ``alaya`` through the real engine, one program per language, against the emulator.

Each example (``examples/yaml``, ``typescript``, ``go``, ``python-native``) runs in a project directory with its
language host, as a user runs it: ``up`` creates and waits, the apiKey is ``[secret]`` and never plaintext in
``pulumi stack export``, a second preview changes nothing, a ``modelId`` change replaces create-before-delete,
``refresh`` drops a deployment deleted behind the stack's back, ``destroy`` deletes what the stack owns, and
the function reads a deployment the stack does not own. The TypeScript one goes the way of a TypeScript user:
the plugin from its archive (``pulumi plugin install --file``), the SDK from ``npm pack``, ``npm install``.
Skipped with one line when no engine can be had; under CI that is a failure instead.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_alaya.client import AlayaClient, AlayaNotFoundError
from pulumi_alaya.client.version import VERSION

from support.native_sdks import nodejs_sdk_tarball, provider_archive
from support.project import PulumiProject, engine_or_skip
from support.seed import SUMMARY, SUPPORT

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {"yaml": "yaml", "nodejs": "typescript", "go": "go", "python": "python-native"}
BASE = "base-qwen2-7b"


def _without_ambient_plugin(path: str) -> str:
    """PATH without this venv's ``pulumi-resource-alaya``, so the engine must use the installed archive."""
    venv_bin = str(Path(sys.executable).parent)
    return os.pathsep.join(part for part in path.split(os.pathsep) if part != venv_bin)


def project_for(runtime: str, tmp: Path, emulator) -> PulumiProject:
    cli_dir = engine_or_skip(runtime)
    source = ROOT / "examples" / EXAMPLES[runtime]
    env = {"PULUMI_PYTHON_CMD": sys.executable}
    if runtime == "nodejs":
        env["PATH"] = _without_ambient_plugin(f"{cli_dir}{os.pathsep}{os.environ['PATH']}")
    project = PulumiProject(source, tmp, cli_dir, env=env)
    if runtime == "nodejs":
        # The archive a release attaches, installed as users of other languages install a plugin.
        project.run("plugin", "install", "resource", "alaya", VERSION, "--file", str(provider_archive()))
        package = json.loads((project.dir / "package.json").read_text())
        package["dependencies"]["@pulumi-alaya/alaya"] = f"file:{nodejs_sdk_tarball()}"
        (project.dir / "package.json").write_text(json.dumps(package, indent=2))
        project.npm_install()
    elif runtime == "go":
        subprocess.run(["go", "mod", "edit", f"-replace=github.com/pulumi-alaya/pulumi-alaya/sdk={ROOT / 'sdk'}"],
                       cwd=project.dir, check=True)
    elif runtime == "python":
        # This checkout's venv holds pulumi and the SDK (scripts/setup.sh installs sdk/python into it).
        settings = (project.dir / "Pulumi.yaml").read_text().replace("virtualenv: venv", f"virtualenv: {sys.prefix}")
        (project.dir / "Pulumi.yaml").write_text(settings)
    project.use_emulator(emulator, {"baseServiceId": BASE, "modelId": "lora-support-v3", "readServiceId": SUMMARY,
                                    "appConfigPath": str(tmp / "app-config.json")})
    return project


def owned(project: PulumiProject) -> dict[str, str]:
    """The stack's LoraDeployments: resource name -> serviceId."""
    return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in project.resources()
            if r["type"] == "alaya:index:LoraDeployment"}


def no_changes_then_a_model_change_replaces(project: PulumiProject, emulator, client: AlayaClient,
                                            first: str) -> str:
    """A second preview has nothing to do; a modelId change replaces create-before-delete. The new serviceId."""
    project.preview("--expect-no-changes")
    emulator.clear_requests()
    project.config_set("modelId", "lora-support-v4")
    project.up()
    replaced: str = project.stack_output(show_secrets=True)["serviceId"]
    assert replaced != first and gone(client, first)
    writes = [(r["method"], r["path"]) for r in emulator.requests() if r["method"] in ("POST", "DELETE")]
    creates = [n for n, (method, path) in enumerate(writes) if method == "POST" and path.endswith("/deployment/lora")]
    deletes = [n for n, (method, path) in enumerate(writes) if method == "DELETE" and path.endswith(first)]
    assert creates and deletes and creates[0] < deletes[0]  # create-before-delete
    assert client.get_deployment(replaced).model_id == "lora-support-v4"
    return replaced


def gone(client: AlayaClient, service_id: str) -> bool:
    try:
        client.get_deployment(service_id)
    except AlayaNotFoundError:
        return True
    return False


@pytest.mark.parametrize("runtime", list(EXAMPLES))
def test_the_provider_through_the_engine_in_each_language(runtime, emulator, client, tmp_path):
    emulator.set_timing(startup_seconds=0.3, delete_seconds=0.2)
    project = project_for(runtime, tmp_path, emulator)

    up = project.up()
    assert "Traceback" not in up.stdout + up.stderr
    shown = project.stack_output()
    assert shown["apiKey"] == "[secret]"
    assert shown["model"] == "support-bot" and shown["openaiBaseUrl"].startswith(emulator.url + "/svc/")
    revealed = project.stack_output(show_secrets=True)
    first = revealed["serviceId"]
    key = client.get_deployment(first).api_key
    assert revealed["apiKey"] == key and key.startswith("sk-")
    assert revealed["readModel"] == "summariser"  # the function read a deployment the stack does not own
    state = json.dumps(project.export())
    assert key not in state and emulator.secret_key not in state  # secret in state, and so is alaya:secretKey
    if runtime == "nodejs":
        app = json.loads((tmp_path / "app-config.json").read_text())
        assert app == {"base_url": shown["openaiBaseUrl"], "model": "support-bot", "api_key": key}
    else:
        assert revealed["canaryModel"] == "support-bot-canary"  # the next resource took the first one's outputs

    replaced = no_changes_then_a_model_change_replaces(project, emulator, client, first)

    client.delete_deployment(replaced)  # behind the stack's back
    client.wait_until_deleted(replaced, 30)
    project.run("refresh", "--yes", "--skip-preview")
    assert "support-bot" not in owned(project)

    survivors = list(owned(project).values())
    project.destroy()
    assert owned(project) == {} and all(gone(client, sid) for sid in survivors)
    assert client.get_deployment(SUPPORT).status_name == "running"  # what the stack did not own stays


def test_the_checked_in_schema_is_what_the_plugin_serves(tmp_path):
    cli_dir = engine_or_skip("yaml")
    plugin = shutil.which("pulumi-resource-alaya", path=str(Path(sys.executable).parent))
    assert plugin, "pip install -e . puts pulumi-resource-alaya beside python"
    run = subprocess.run(["pulumi", "package", "get-schema", plugin], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PATH": f"{cli_dir}{os.pathsep}{os.environ['PATH']}",
                              "PULUMI_HOME": str(tmp_path / "home"), "PULUMI_SKIP_UPDATE_CHECK": "1",
                              "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "1"})
    assert run.returncode == 0, run.stderr
    checked_in = ROOT / "provider" / "cmd" / "pulumi-resource-alaya" / "schema.json"
    assert json.loads(run.stdout) == json.loads(checked_in.read_text())


YAML_HEADER = "name: alaya-import\nruntime: yaml\n"


def yaml_project(tmp: Path, emulator, body: str) -> PulumiProject:
    cli_dir = engine_or_skip("yaml")
    source = tmp / "alaya-import"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(YAML_HEADER + body)
    project = PulumiProject(source, tmp / "run", cli_dir)
    project.use_emulator(emulator)
    return project


def test_pulumi_import_of_a_deployment_made_with_the_cli(emulator, client, tmp_path):
    made = subprocess.run(["alaya", "lora", "create", "--base-service-id", BASE, "--model-id", "lora-support-v3",
                           "--name", "imported-bot", "--served-name", "imported", "--wait", "--output", "json"],
                          capture_output=True, text=True, env={**os.environ, **emulator.env}, timeout=120)
    assert made.returncode == 0, made.stderr
    service_id = json.loads(made.stdout)["serviceId"]
    (tmp_path / "run").mkdir()
    project = yaml_project(tmp_path, emulator, "")
    code = tmp_path / "imported.yaml"
    project.run("import", "alaya:index:LoraDeployment", "bot", service_id, "--yes", "--out", str(code))
    assert owned(project) == {"bot": service_id}
    generated = code.read_text()
    assert "name: imported-bot" in generated and "lora-support-v3" in generated
    (project.dir / "Pulumi.yaml").write_text(YAML_HEADER + generated)
    project.preview("--expect-no-changes")  # the code the engine wrote matches the deployment exactly
    # Imported resources come protected; once released, the stack owns it like one it created.
    project.run("state", "unprotect", "urn:pulumi:dev::alaya-import::alaya:index:LoraDeployment::bot", "--yes")
    project.destroy()
    assert gone(client, service_id)


BAD_INPUT = """resources:
  bot:
    type: alaya:LoraDeployment
    properties:
      baseServiceId: base-qwen2-7b
      modelId: lora-support-v3
      servedNames: ["no spaces please"]
      waitTimeout: -1
"""
MISSING_BASE = BAD_INPUT.replace("base-qwen2-7b", "no-such-base").replace(
    '["no spaces please"]', "[bot]").replace("waitTimeout: -1", "waitTimeout: 30")


def test_bad_inputs_are_check_failures_naming_the_property(emulator, tmp_path):
    (tmp_path / "run").mkdir()
    project = yaml_project(tmp_path, emulator, BAD_INPUT)
    run = project.up(check=False)
    text = run.stdout + run.stderr
    assert run.returncode != 0 and "Traceback" not in text
    assert "servedNames" in text and "waitTimeout" in text
    assert not emulator.requests(method="POST")  # refused before any request


def test_an_api_refusal_is_one_line_without_a_traceback(emulator, tmp_path):
    (tmp_path / "run").mkdir()
    project = yaml_project(tmp_path, emulator, MISSING_BASE)
    run = project.up(check=False)
    text = run.stdout + run.stderr
    assert run.returncode != 0 and "Traceback" not in text and 'File "' not in text
    lines = [line for line in text.splitlines() if "no-such-base" in line and "error" in line.lower()]
    assert lines, text
    assert emulator.secret_key not in text


KEY_ELSEWHERE = """resources:
  bot:
    type: alaya:LoraDeployment
    properties:
      baseServiceId: base-qwen2-7b
      modelId: lora-support-v3
      servedNames: [bot]
      storeApiKey: false
  next:
    type: alaya:LoraDeployment
    properties:
      baseServiceId: ${bot.baseServiceId}
      modelId: ${bot.modelId}
      servedNames: ["${bot.model}-next"]
      storeApiKey: false
outputs:
  serviceUrl: ${bot.serviceUrl}
  model: ${bot.model}
"""


def test_store_api_key_false_keeps_the_key_out_of_the_state_while_outputs_flow(emulator, client, tmp_path):
    (tmp_path / "run").mkdir()
    project = yaml_project(tmp_path, emulator, KEY_ELSEWHERE)
    project.up()
    ids = owned(project)
    keys = [client.get_deployment(service_id).api_key for service_id in ids.values()]
    state = json.dumps(project.export())
    assert all(key and key not in state for key in keys)
    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in project.resources() if r["type"].endswith("LoraDeployment")}
    assert "apiKey" not in resources["bot"]["outputs"] and "apiKey" not in resources["next"]["outputs"]
    assert resources["next"]["outputs"]["servedName"] == ["bot-next"]  # the model flowed to the next resource
    outputs = project.stack_output(show_secrets=True)
    assert outputs["serviceUrl"].startswith(emulator.url) and outputs["model"] == "bot"
    project.destroy()


DYNAMIC_PROGRAM = """import pulumi_alaya as alaya

alaya.LoraDeployment("bot", base_service_id="base-qwen2-7b", model_id="lora-support-v3", served_names=["bot"])
"""


def test_a_stack_moves_from_the_dynamic_resource_to_the_native_one_keeping_the_deployment(emulator, client,
                                                                                             tmp_path):
    """The README's path: state delete (no provider call), then pulumi import; the deployment never changes."""
    cli_dir = engine_or_skip("python")
    source = tmp_path / "alaya-migrate"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(
        f"name: alaya-migrate\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n")
    (source / "__main__.py").write_text(DYNAMIC_PROGRAM)
    project = PulumiProject(source, tmp_path / "run", cli_dir, env={"PULUMI_PYTHON_CMD": sys.executable})
    project.use_emulator(emulator)
    project.up()
    (dynamic,) = [r for r in project.resources() if r["type"].endswith("dynamic/alaya:LoraDeployment")]
    service_id = dynamic["id"]

    emulator.clear_requests()
    project.run("state", "delete", dynamic["urn"], "--yes")
    assert emulator.requests(method="DELETE") == []  # the deployment is left alone
    code = tmp_path / "native.py"
    project.run("import", "alaya:index:LoraDeployment", "bot", service_id, "--yes", "--out", str(code))
    generated = code.read_text()
    assert "pulumi_alaya_native" in generated
    (project.dir / "__main__.py").write_text(generated)
    project.preview("--expect-no-changes")
    assert owned(project) == {"bot": service_id} and not gone(client, service_id)


@pytest.mark.parametrize("example", ["pulumi", "pulumi-create"])
def test_the_python_examples_run_in_their_project_folders(example, emulator, client, tmp_path):
    """`cd examples/X && pulumi up` as the READMEs say: runtime python with the example's own virtualenv."""
    cli_dir = engine_or_skip("python")
    project = PulumiProject(ROOT / "examples" / example, tmp_path, cli_dir)
    # The copy lives elsewhere: point its editable install of this repository at the checkout.
    requirements = project.dir / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("-e ../..", f"-e {ROOT}"))
    venv = project.virtualenv()
    project.use_emulator(emulator, {"serviceId": SUPPORT, "baseServiceId": BASE, "modelId": "lora-support-v3",
                                    "appConfigPath": str(tmp_path / "app-config.json")})
    project.up()
    shown = project.stack_output()
    assert shown["apiKey"] == "[secret]" and shown["model"] == "support-bot"
    assert (venv / "bin" / "python").exists()
    project.destroy()
    assert client.get_deployment(SUPPORT).status_name == "running"
    if example == "pulumi-create":
        assert not (tmp_path / "app-config.json").exists()


PARENT = """import subprocess, sys
plugin = subprocess.Popen([sys.argv[1], "127.0.0.1:1"], stdout=subprocess.PIPE, text=True)
print(plugin.pid, plugin.stdout.readline().strip(), flush=True)
sys.stdin.read()
"""


def test_the_plugin_stops_once_the_process_that_started_it_is_killed():
    # What a SIGKILL of the CLI alone leaves: the engine cannot stop its plugins, so each must notice by itself.
    plugin = shutil.which("pulumi-resource-alaya", path=str(Path(sys.executable).parent))
    assert plugin
    parent = subprocess.Popen([sys.executable, "-c", PARENT, plugin], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert parent.stdout is not None
    pid, port = (int(part) for part in parent.stdout.readline().split())
    try:
        socket.create_connection(("127.0.0.1", port), timeout=10).close()  # serving while its parent lives
        parent.kill()
        parent.wait()
        exited = os.pidfd_open(pid)
        try:
            ready, _, _ = select.select([exited], [], [], 60)
        finally:
            os.close(exited)
        assert ready, "pulumi-resource-alaya still runs a minute after the process that started it was killed"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        parent.stdin.close()  # type: ignore[union-attr]
        parent.stdout.close()
