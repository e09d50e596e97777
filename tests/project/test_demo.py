"""The README's first command: ``examples/demo.py`` (what ``./scripts/demo.sh`` runs) as a newcomer runs it.

Each run is a real process (with its own emulator, ``alaya``, ``ansible-playbook`` and ``pulumi``); the checks
read its summary table and exit code, look for keys in everything it printed, and knock on the emulator's port
once it has exited. The warm run needs the Pulumi engine: built by scripts/pulumi-cli.sh when absent (as the
other engine tests do), skipped with one line when it cannot be, and under CI a failure instead.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from support.engine import find_cli
from support.prerequisites import missing
from support.seed import SUMMARY

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
from _demo import engine, report  # noqa: E402  (the demo's own package, as demo.py imports it)
from _demo.tofu import tofu_built  # noqa: E402

DEMO = ROOT / "examples" / "demo.py"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEY = re.compile(r"sk-[A-Za-z0-9]{3}")  # any apiKey: the seeded ones and those the emulator makes


class Demo:
    """One finished run: its output, exit code and the emulator address it printed."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, interrupt_at: str = "",
                 command: tuple[str, ...] = (sys.executable, str(DEMO))) -> None:
        # Its own process group, so whatever it leaves behind (an emulator it failed to stop, which would also
        # hold the output pipe open) is ended below.
        process = subprocess.Popen([*command, *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
        lines: list[str] = []
        port: queue.Queue[int] = queue.Queue()

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                if found := re.search(r"listening on http://127\.0\.0\.1:(\d+)", line):
                    port.put(int(found.group(1)))
                if interrupt_at and interrupt_at in line:
                    process.send_signal(signal.SIGINT)  # as Ctrl-C does
            port.put(0)  # the end, in case no port was printed

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            self.code = process.wait(timeout=1200)
            listened = port.get(timeout=60)  # printed before the demo ended, so it is in the pipe
            self.emulator_still_listening = bool(listened) and _listening(listened)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            reader.join(timeout=60)
        self.output = "".join(lines)
        assert listened, self.output

    def rows(self) -> dict[str, list[str]]:
        """The summary table: surface -> [surface, result, what it did, serviceId, model, answer]."""
        table = self.output.split("Summary:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert table[0].split() == ["surface", "result", "what", "it", "did", "serviceId", "model", "answer"]
        cells = [re.split(r" {2,}", line.strip()) for line in table[1:]]
        return {row[0]: row for row in cells}


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def assert_handed_on(row: list[str], model: str, service_id: str | None = None) -> None:
    assert row[1] == "ok", row
    assert UUID.match(row[3]) and (service_id is None or row[3] == service_id), row
    assert row[4] == model and row[5].startswith(f"Hello from {model}"), row


def assert_no_secret(output: str) -> None:
    assert not KEY.search(output) and "demo-sk" not in output and "Traceback" not in output


def test_quick_demo_runs_the_cli_and_ansible_and_says_pulumi_was_skipped():
    demo = Demo("--quick", command=(str(ROOT / "scripts" / "demo.sh"),))  # the README's command itself
    assert demo.code == 0, demo.output
    rows = demo.rows()
    assert list(rows) == ["CLI", "Ansible", "Pulumi dynamic", "Pulumi provider", "Terraform"]
    assert_handed_on(rows["CLI"], "summariser", SUMMARY)  # the seeded one still starting: --wait waited
    assert "is starting" in demo.output and "is running" in demo.output
    assert_handed_on(rows["Ansible"], "ansible-bot")  # created by the playbook
    assert rows["Pulumi dynamic"][1:] == ["skipped", "pulumi-create: up, output, destroy", "-", "-", "-"]
    assert rows["Pulumi provider"][1] == rows["Terraform"][1] == "skipped"
    assert "skipped, --quick" in demo.output and "builds one now" not in demo.output
    assert_no_secret(demo.output)
    assert not demo.emulator_still_listening


def test_warm_demo_runs_every_surface_and_reuses_the_engine():
    cli_dir, why = find_cli()  # builds it with scripts/pulumi-cli.sh when there is none
    if cli_dir is None:
        missing(f"no Pulumi engine: {why}")
    demo = Demo()
    assert demo.code == 0, demo.output
    rows = demo.rows()
    assert_handed_on(rows["CLI"], "summariser", SUMMARY)
    assert_handed_on(rows["Ansible"], "ansible-bot")
    assert_handed_on(rows["Pulumi dynamic"], "support-bot")
    assert_handed_on(rows["Pulumi provider"], "support-bot")
    if tofu_built():  # built by scripts/opentofu.sh (test.sh runs it); the demo never builds it
        assert rows["Terraform"][1] == "ok" and UUID.match(rows["Terraform"][3]), rows["Terraform"]
        assert 'support-bot-terraform answered: "Hello from support-bot-terraform' in demo.output
        assert "$ tofu destroy" in demo.output
    else:
        assert rows["Terraform"][1] == "skipped" and "scripts/opentofu.sh" in demo.output
    assert len({row[3] for row in rows.values() if row[1] == "ok"}) == len(rows) - list(
        row[1] for row in rows.values()).count("skipped")  # one deployment per surface that ran
    assert demo.output.count("$ pulumi destroy") == 2 and "apiKey=[secret]" in demo.output
    assert "builds one now" not in demo.output  # warm: the engine built before is used as it is
    assert_no_secret(demo.output)
    assert not demo.emulator_still_listening


def _path_without(*tools: str) -> str:
    """PATH without the folders holding ``tools``, the venv's tools first (the demo runs them from there)."""
    kept = [folder for folder in os.environ["PATH"].split(os.pathsep)
            if folder and not any(os.access(Path(folder) / tool, os.X_OK) for tool in tools)]
    return os.pathsep.join([str(Path(sys.executable).parent), *kept])


def test_without_an_engine_it_says_what_it_builds_and_only_the_pulumi_steps_fail(tmp_path):
    env = {**os.environ, "PULUMI_ALAYA_CACHE": str(tmp_path), "PATH": _path_without("go", "pulumi")}
    assert not shutil.which("go", path=env["PATH"]) and not shutil.which("pulumi", path=env["PATH"])
    demo = Demo(env=env)
    assert demo.code == 1, demo.output
    rows = demo.rows()
    assert rows["CLI"][1] == rows["Ansible"][1] == "ok"  # the other steps still ran
    assert rows["Pulumi dynamic"][1] == rows["Pulumi provider"][1] == "FAILED"
    assert rows["Terraform"][1] == "skipped"  # no tofu in this cache: skipped with the line saying how
    assert "build it once with scripts/opentofu.sh" in demo.output
    assert demo.output.count("builds one now") == 1  # told first, and a failed build is not tried twice
    assert "About 10 minutes" in demo.output and "--quick skips" in demo.output
    assert "    pulumi-cli: Go is not installed" in demo.output  # the build script's own lines, passed on
    assert demo.output.count("FAILED: no Pulumi engine") == 2 and "Go >= 1.26 on PATH" in demo.output
    assert "A step FAILED" in demo.output
    assert_no_secret(demo.output)
    assert not demo.emulator_still_listening


def test_ctrl_c_stops_the_emulator_and_exits_130():
    demo = Demo("--quick", interrupt_at="[1] CLI")
    assert demo.code == 130, demo.output
    assert "interrupted; the emulator is stopped" in demo.output and "Traceback" not in demo.output
    assert not demo.emulator_still_listening


def test_an_unexpected_error_in_a_step_is_one_line_and_the_next_step_runs(capsys):
    def broken() -> report.Handoff:
        raise OSError("no space left on device")

    def working() -> report.Handoff:
        return report.Handoff("sid", "bot", "http://127.0.0.1:1/v1", "Hello from bot")

    rows = [report.run_step(1, report.Step("Broken", "breaks", "breaks", "the disk", broken)),
            report.run_step(2, report.Step("Working", "works", "works", "-", working))]
    said = capsys.readouterr().out
    assert [row.result for row in rows] == ["FAILED", "ok"]
    assert "    FAILED: OSError: no space left on device\n    check: the disk\n" in said
    assert report.exit_code(rows) == 1 and report.exit_code(rows[1:]) == 0


def test_the_build_passes_its_lines_on_counts_downloads_and_beats_when_silent(tmp_path):
    go_on = tmp_path / "go-on"
    os.mkfifo(go_on)
    script = tmp_path / "build.sh"
    script.write_text("#!/usr/bin/env bash\n"
                      "echo 'building the Pulumi CLI (about 5 min on first run)...' >&2\n"
                      "echo 'go: downloading example.com/one v1.0.0' >&2\n"
                      "echo 'go: downloading example.com/two v1.0.0' >&2\n"
                      # Silent until the test has seen a heartbeat (at most 60 s: without one, the test fails).
                      f"exec 3<>{go_on}; read -r -t 60 -u 3 _\n"
                      f"echo {tmp_path}/install\n")
    script.chmod(0o755)
    said: list[str] = []
    beats = []

    def say(line: str) -> None:
        said.append(line)
        if "still building" in line and "2 Go modules downloaded" in line:
            beats.append(line)
            if len(beats) == 1:
                go_on.write_text("\n")  # the script was silent, after all its lines, and the demo said so

    built = engine._build(say, script, heartbeat=0.05)
    assert built == tmp_path / "install" and beats
    assert "    building the Pulumi CLI (about 5 min on first run)..." in said
    assert not any("go: downloading" in line for line in said)
    assert said[-1].startswith("    ready in ") and said[-1].endswith(str(tmp_path / "install"))
