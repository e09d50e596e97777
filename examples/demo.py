"""The two-minute tour: what a pipeline does with pulumi-alaya, end to end, against the bundled emulator.

1. start the emulator (a real HTTP server on 127.0.0.1, seeded with demo LoRA deployments);
2. read each LoRA deployment with the ``alaya`` CLI, as a CI step would (waiting for one that is starting);
3. feed the outputs (serviceUrl, apiKey, servedName) to the next step: a chat call to the served model;
4. the same deployment as infrastructure as code: ``examples/pulumi`` through the real Pulumi engine, when
   one is on PATH or built by ``scripts/pulumi-cli.sh`` (otherwise the demo says how to get one);
5. stop the emulator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

from pulumi_alaya.emulator import start_emulator

ROOT = Path(__file__).resolve().parent.parent
DEMO_LORAS = ["38fbfc3d-6a88-4c35-b8b6-9efc83949d47", "a7c0e2b4-1d3f-4e5a-9b8c-7d6e5f4a3b2c"]


def read_with_cli(env: dict[str, str], service_id: str) -> dict[str, str]:
    """Step 2: what a GitOps job runs. ``--output env`` prints ``export KEY='value'`` lines for ``eval``."""
    run = subprocess.run(
        [sys.executable, "-m", "pulumi_alaya.cli", "lora", "get", service_id, "--wait", "--timeout", "60",
         "--output", "env", "--show-secrets"],
        env=env, capture_output=True, text=True, check=False,
    )
    sys.stderr.write(run.stderr)
    if run.returncode != 0:
        raise SystemExit(f"demo: alaya lora get {service_id} failed with exit code {run.returncode}")
    pairs = (line.removeprefix("export ").split("=", 1) for line in run.stdout.splitlines())
    return {key: value.strip("'") for key, value in pairs}


def chat(outputs: dict[str, str]) -> str:
    """Step 3: the next step only needs the three outputs. Note the header is ``apiKey``."""
    answer = requests.post(
        outputs["ALAYA_SERVICE_URL"] + "/v1/chat/completions",
        headers={"apiKey": outputs["ALAYA_API_KEY"]},
        json={"model": outputs["ALAYA_MODEL"], "stream": False,
              "messages": [{"role": "user", "content": "Who are you?"}]},
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["choices"][0]["message"]["content"])


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # interleave with CLI stderr
    with start_emulator() as emulator:
        print(f"[1] emulator listening on {emulator.url}")
        env = {**os.environ, **emulator.env}
        summary = []
        for service_id in DEMO_LORAS:
            outputs = read_with_cli(env, service_id)
            print(f"[2] {service_id}: status={outputs['ALAYA_STATUS']} model={outputs['ALAYA_MODEL']} "
                  f"url={outputs['ALAYA_SERVICE_URL']} apiKey=***")
            reply = chat(outputs)
            print(f"[3] chat with {outputs['ALAYA_MODEL']}: {reply}")
            summary.append({"serviceId": service_id, "model": outputs["ALAYA_MODEL"], "reply": reply})
        pulumi_up(emulator, DEMO_LORAS[0])
    print("[5] emulator stopped")
    print(json.dumps({"demo": "ok", "deployments": summary}, indent=2))


def pulumi_up(emulator: object, service_id: str) -> None:
    """Step 4: ``pulumi up`` / ``stack output`` / ``destroy`` of examples/pulumi with the real engine."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pulumi_cli import Engine, find_cli, program_file

    cli_dir, why = find_cli(build=False)
    if cli_dir is None:
        print(f"[4] Pulumi: skipped, {why}; then run the demo again")
        return
    saved = dict(os.environ)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            engine = Engine(cli_dir, Path(tmp), emulator)
            stack = engine.stack("alaya-lora", program_file(ROOT / "examples" / "pulumi" / "__main__.py"),
                                 config={"serviceId": service_id})
            stack.up()
            shown = engine.cli("stack", "output", "--json", "--stack", "dev", cwd=Path(stack.workspace.work_dir))
            print(f"[4] pulumi up of examples/pulumi -> stack outputs {json.loads(shown.stdout)}")
            stack.destroy()
            print("[4] pulumi destroy: the stack forgot it; the deployment keeps running (read with get(), not owned)")
    finally:
        os.environ.clear()
        os.environ.update(saved)


if __name__ == "__main__":
    main()
