"""The demo's four steps: each surface gets serviceUrl, apiKey and the model, and hands them to a next step.

Each step runs the user-facing tool as a user would (a shell running ``alaya``, ``ansible-playbook``, ``pulumi``
in a project folder) against the emulator, and returns what the next step got plus the served model's answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from pulumi_alaya.emulator import Emulator

from _demo import app
from _demo.engine import EngineUnavailable, engine
from _demo.project import Project
from _demo.report import Handoff, Step, StepFailed, StepSkipped, handed_on, say
from _demo.tofu import cli_config, tofu_built, tofu_path, write_mirror

ROOT = Path(__file__).resolve().parents[2]
APP = Path(app.__file__)
STARTING_LORA = "a7c0e2b4-1d3f-4e5a-9b8c-7d6e5f4a3b2c"  # seeded "starting": --wait has something to wait for
READ_LORA = "38fbfc3d-6a88-4c35-b8b6-9efc83949d47"  # seeded running, read (not owned) by the YAML program
BASE_SERVICE = "base-qwen2-7b"
SHOWN = ("serviceId", "model", "apiKey")  # of the stack outputs; the apiKey shows as [secret]
# A pipeline step: read the deployment, export its outputs, start the next program, which sees them.
PIPELINE = ('out=$(alaya lora get "$1" --wait --wait-timeout 60 --output env --show-secrets) && eval "$out" && '
            'echo "$ALAYA_SERVICE_ID $ALAYA_MODEL $ALAYA_OPENAI_BASE_URL" && python "$2"')


def steps(emulator: Emulator) -> list[Step]:
    pulumi = EngineOnce()
    return [
        Step("CLI", "a pipeline step reads a deployment still starting, exports its outputs, starts the app",
             "get --wait, env, app chats", "alaya's line above (exit codes: README, CLI)",
             lambda: cli_step(emulator)),
        Step("Ansible", "a playbook creates a deployment, reads it (module, lookup), calls the model, removes it",
             "create, info, lookup, uri, remove",
             "the failed task above (no_log hides its result, it holds the apiKey); examples/ansible/README.md",
             lambda: ansible_step(emulator)),
        Step("Pulumi dynamic", "examples/pulumi-create (the dynamic resource) through the Pulumi CLI",
             "pulumi-create: up, output, destroy",
             "pulumi's lines above; examples/pulumi-create/README.md runs it by hand",
             lambda: pulumi_step(emulator, pulumi(), "pulumi-create")),
        Step("Pulumi provider", "examples/yaml (the schema-based provider, no SDK) through the Pulumi CLI",
             "yaml: up, output, destroy",
             "pulumi's lines above; pulumi-resource-alaya in .venv/bin; examples/yaml/README.md",
             lambda: pulumi_step(emulator, pulumi(), "yaml")),
        Step("Terraform", "examples/terraform (base model -> LoRA -> outputs) through tofu, installed from the "
             "provider's mirror", "terraform: apply, output, destroy",
             "tofu's lines above; manual/terraform.md runs it by hand", lambda: terraform_step(emulator)),
    ]


class EngineOnce:
    """The engine, found or built by the first Pulumi step; a failed build is reported, not tried again."""

    def __init__(self) -> None:
        self.found: Path | EngineUnavailable | None = None

    def __call__(self) -> Path:
        if self.found is None:
            try:
                self.found = engine(say)
            except EngineUnavailable as exc:
                self.found = exc
        if isinstance(self.found, EngineUnavailable):
            raise StepFailed(f"no Pulumi engine: {self.found} (the build needs Go >= 1.26 on PATH; a pulumi "
                             "install on PATH does instead; --quick skips the Pulumi steps)")
        return self.found


def tool_env(emulator: Emulator) -> dict[str, str]:
    """This environment pointed at the emulator, the venv's tools (alaya, ansible-playbook) first on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ALAYA_", "ANSIBLE_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **emulator.env}


def cli_step(emulator: Emulator) -> Handoff:
    say(f'    $ out=$(alaya lora get {STARTING_LORA} --wait --output env --show-secrets) && eval "$out" '
        f"&& python {APP.relative_to(ROOT)}")
    run = subprocess.run(["bash", "-c", PIPELINE, "pipeline", STARTING_LORA, str(APP)], env=tool_env(emulator),
                         capture_output=True, text=True, timeout=120)
    for line in run.stderr.splitlines():
        say(f"    {line}")  # --wait's status changes, or the one line that says what went wrong
    lines = run.stdout.splitlines()
    if run.returncode != 0 or len(lines) != 2:
        raise StepFailed(f"the pipeline exited with code {run.returncode} (the lines above say why)")
    service_id, model, url = lines[0].split(" ")
    return handed_on(Handoff(service_id, model, url, lines[1]))


def ansible_step(emulator: Emulator) -> Handoff:
    playbook = ROOT / "examples" / "ansible" / "deploy-read-call.yml"
    env = {**tool_env(emulator),
           # The collection from this checkout (as ansible.cfg's collections_path does from the repository root).
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "0",
           "ANSIBLE_PYTHON_INTERPRETER": sys.executable, "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
           "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
           "ANSIBLE_RETRY_FILES_ENABLED": "0"}
    say(f"    $ ansible-playbook {playbook.relative_to(ROOT)}")
    run = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(playbook)], env=env,
                         cwd=playbook.parent, capture_output=True, text=True, timeout=600)
    said = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    shown = _debug_message(run.stdout, "Show what the next step got")
    if run.returncode != 0 or shown is None:
        raise StepFailed(f"ansible-playbook exited with code {run.returncode}", said[-8:])
    return handed_on(Handoff(shown["serviceId"], shown["model"], shown["url"], shown["answer"]))


def _debug_message(output: str, task: str) -> dict[str, str] | None:
    """The ``msg`` of the debug task named ``task`` in the default callback's output (results as JSON)."""
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.startswith(f"TASK [{task}"):
            start = next((n for n in range(number + 1, len(lines)) if lines[n].startswith("ok: [")), None)
            if start is None:
                return None
            end = next((n for n in range(start, len(lines)) if lines[n] == "}"), len(lines) - 1)
            text = "\n".join([lines[start].split(" => ", 1)[1], *lines[start + 1:end + 1]])
            message: dict[str, str] = json.loads(text)["msg"]
            return message
    return None


def pulumi_step(emulator: Emulator, folder: Path, example: str) -> Handoff:
    with tempfile.TemporaryDirectory(prefix="alaya-demo-") as tmp:
        project = Project(ROOT / "examples" / example, Path(tmp), folder,
                          env={"PULUMI_PYTHON_CMD": sys.executable})  # the dynamic provider's python
        settings = {"alaya:accessKey": emulator.access_key, "alaya:baseUrl": emulator.url,
                    "baseServiceId": BASE_SERVICE, "modelId": "lora-support-v5"}
        if example == "pulumi-create":
            project.use_this_virtualenv()
            settings["appConfigPath"] = str(Path(tmp) / "app-config.json")
        else:
            settings["readServiceId"] = READ_LORA
        project.configure(settings, {"alaya:secretKey": emulator.secret_key})
        say(f"    $ pulumi up          (examples/{example} on a throwaway local stack)")
        project.up()
        try:
            shown = project.outputs()
            say("    $ pulumi stack output  " + ", ".join(f"{key}={shown[key]}" for key in SHOWN))
            revealed = project.outputs(show_secrets=True)  # what a pipeline's next step reads
            got = handed_on(Handoff(shown["serviceId"], shown["model"], shown["openaiBaseUrl"],
                                    app.chat(revealed["openaiBaseUrl"], revealed["apiKey"], revealed["model"])))
        except app.ChatFailed as exc:
            raise StepFailed(str(exc)) from None
        finally:
            say("    $ pulumi destroy")
            project.destroy()
    return got


def terraform_step(emulator: Emulator) -> Handoff:
    if not tofu_built():
        raise StepSkipped(f"no tofu in {tofu_path().parent}: build it once with scripts/opentofu.sh (Go >= 1.26, "
                          "6-10 minutes)")
    with tempfile.TemporaryDirectory(prefix="alaya-demo-") as tmp:
        folder = Path(tmp) / "terraform"
        folder.mkdir()
        (folder / "main.tf").write_text((ROOT / "examples" / "terraform" / "main.tf").read_text())
        say("    $ python scripts/terraform_mirror.py MIRROR   (the provider's zip, as a release attaches it)")
        mirror = write_mirror(Path(tmp) / "mirror").parents[3]
        env = {**tool_env(emulator), "TF_CLI_CONFIG_FILE": str(cli_config(Path(tmp) / "tofu.tfrc", mirror)),
               "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

        def tofu(*args: str) -> str:
            say(f"    $ tofu {' '.join(args)}")
            run = subprocess.run([str(tofu_path()), *args], cwd=folder, env=env, capture_output=True, text=True,
                                 timeout=600, stdin=subprocess.DEVNULL)
            if run.returncode != 0:
                raise StepFailed(f"tofu {args[0]} exited with code {run.returncode}",
                                 (run.stdout + run.stderr).strip().splitlines()[-8:])
            return run.stdout

        tofu("init", "-input=false", "-no-color")
        try:
            tofu("apply", "-auto-approve", "-input=false", "-no-color")
            shown = json.loads(tofu("output", "-json"))
            values = {key: item["value"] for key, item in shown.items()}
            say("    -> " + ", ".join(f"{key}={'(sensitive)' if item['sensitive'] else item['value']}"
                                    for key, item in shown.items()))
            answer = app.chat(values["openai_base_url"], values["api_key"], values["model"])
            got = handed_on(Handoff(values["service_id"], values["model"], values["openai_base_url"], answer))
        except app.ChatFailed as exc:
            raise StepFailed(str(exc)) from None
        finally:
            tofu("destroy", "-auto-approve", "-input=false", "-no-color")
    return got
