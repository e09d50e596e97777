"""``examples/typescript-whole-stack`` through the real engine as a TypeScript user runs it (the plugin from its
archive, the SDK from ``npm pack``): base model -> two LoRAs -> app config, a key rotation with Pulumi's own
``replacementTrigger``, then ``destroy`` with the LoRAs deleted before the base. One stack, one test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import requests
from test_native_provider import VERSION, _without_ambient_plugin

from support.native_sdks import nodejs_sdk_tarball, provider_archive
from support.project import PulumiProject, engine_or_skip

ROOT = Path(__file__).resolve().parents[2]


def chat(model: dict) -> int:
    return requests.post(model["base_url"] + "/chat/completions", headers={"apiKey": model["api_key"]}, timeout=10,
                         json={"model": model["model"], "messages": [{"role": "user", "content": "hi"}]}).status_code


def test_the_whole_stack_example(emulator, tmp_path):
    emulator.set_timing(0.2, 0.1, base_startup_seconds=0.4)
    cli_dir = engine_or_skip("nodejs")
    env = {"PATH": _without_ambient_plugin(f"{cli_dir}{os.pathsep}{os.environ['PATH']}")}
    project = PulumiProject(ROOT / "examples" / "typescript-whole-stack", tmp_path, cli_dir, env=env)
    project.run("plugin", "install", "resource", "alaya", VERSION, "--file", str(provider_archive()))
    package = json.loads((project.dir / "package.json").read_text())
    package["dependencies"]["@pulumi-alaya/alaya"] = f"file:{nodejs_sdk_tarball()}"
    (project.dir / "package.json").write_text(json.dumps(package, indent=2))
    project.npm_install()
    app_config = tmp_path / "app-config.json"
    project.use_emulator(emulator, {"appConfigPath": str(app_config)})

    project.up()
    first = json.loads(app_config.read_text())["models"]
    assert [m["model"] for m in first] == ["support-bot", "summariser"] and all(chat(m) == 200 for m in first)
    shown = project.stack_output()
    assert shown["baseGpuCount"] == 1
    writes = [(r["method"], r["path"]) for r in emulator.requests() if r["method"] in ("POST", "DELETE")]
    assert writes[0] == ("POST", "/api/serverless-infer/v1/deployment")  # the base before its LoRAs
    state = json.dumps(project.export())
    assert not any(m["api_key"] in state for m in first)

    emulator.clear_requests()
    project.config_set("rotation", "2")
    project.up()
    second = json.loads(app_config.read_text())["models"]
    assert all(chat(m) == 200 for m in second) and not any(chat(m) == 200 for m in first)
    assert {m["api_key"] for m in second}.isdisjoint(m["api_key"] for m in first)
    log = emulator.requests()
    first_delete = next(i for i, e in enumerate(log) if e["method"] == "DELETE")
    assert sum(1 for e in log[:first_delete] if e["method"] == "POST" and e["path"].endswith("/lora")) >= 1
    assert project.stack_output()["baseId"] == shown["baseId"]  # the base stays

    new_ids = project.stack_output()["loraIds"]
    emulator.clear_requests()
    project.destroy()
    deletes = [r["path"].rsplit("/", 1)[1] for r in emulator.requests() if r["method"] == "DELETE"]
    assert set(deletes[:2]) == set(new_ids) and deletes[2:] == [shown["baseId"]]
    assert not app_config.exists()
