"""The plugin stops quietly: the engine ends every run by interrupting it, and a healthy run prints nothing.

Before, SIGINT reached asyncio.run as a KeyboardInterrupt and the grpc server's ``__del__`` ran after the loop
had closed: "Exception ignored in ... Server.__del__ ... Event loop is closed" on stderr, which the engine shows
under ``-v=9 --logtostderr`` on every healthy ``up``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from support.project import PulumiProject, engine_or_skip

NOISE = ("Traceback", "CancelledError", "Exception ignored", "Event loop is closed")
PROGRAM = """name: alaya-quiet
runtime: yaml
resources:
  bot:
    type: alaya:LoraDeployment
    properties:
      baseServiceId: base-qwen2-7b
      modelId: lora-support-v3
      servedNames: [quiet-bot]
"""


def _plugin() -> str:
    plugin = shutil.which("pulumi-resource-alaya", path=str(Path(sys.executable).parent))
    assert plugin, "pip install -e . puts pulumi-resource-alaya beside python"
    return plugin


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_plugin_with_exit_0_and_nothing_on_stderr(stop):
    # Its own process group, as the engine starts plugins, so the signal goes to the group as the engine sends it.
    plugin = subprocess.Popen([_plugin(), "127.0.0.1:1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        assert plugin.stdout is not None and plugin.stdout.readline().strip().isdigit()  # serving: its port
        os.killpg(plugin.pid, stop)
        _, stderr = plugin.communicate(timeout=60)
    finally:
        if plugin.poll() is None:
            plugin.kill()
            plugin.communicate()
    assert plugin.returncode == 0 and stderr == ""


def test_a_healthy_up_and_destroy_at_v9_show_no_traceback_from_the_plugin(emulator, tmp_path):
    """The plugin as pipx installs it (on PATH): the engine starts it itself and interrupts it at the end."""
    cli_dir = engine_or_skip("yaml")
    source = tmp_path / "alaya-quiet"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(PROGRAM)
    path = os.pathsep.join([cli_dir, str(Path(_plugin()).parent), os.environ["PATH"]])
    project = PulumiProject(source, tmp_path / "run", cli_dir, env={"PATH": path})
    project.use_emulator(emulator)
    for run in (project.up("-v=9", "--logtostderr"), project.destroy("-v=9", "--logtostderr")):
        text = run.stdout + run.stderr
        assert "pulumi-resource-alaya" in text  # the log is the engine's with our plugin in it
        assert not [word for word in NOISE if word in text], [line for line in text.splitlines()
                                                             if any(word in line for word in NOISE)][:20]
        assert emulator.secret_key not in text  # not even at -v=9
