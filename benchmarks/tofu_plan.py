"""What `tofu plan` of one `alaya_lora_deployment` costs against one resource of a Go provider, and where each
provider launch's start-up goes, through the real tofu (scripts/opentofu.sh) in the same run.

The Go baseline is HashiCorp's `time` provider (a `time_static`), built from the Go module proxy into .cache on
first use (`random` cannot be: its v3 tags lack the /v3 module path, so the proxy serves only v2.0.0 of 2018).
Both are installed from one filesystem mirror, applied once, then planned alternately (`plan
-detailed-exitcode` after apply, with refresh: what a pipeline runs). Then: how many times a plan launches each
provider (TF_LOG=debug), each launch to its handshake line alone, and ours split into Python's own start, the
provider's imports and the rest (certificate, gRPC server). Also the zip's size and tofu's one-time build.

Run: python benchmarks/tofu_plan.py [--rounds 5] [--smoke]   (goal: ours <= 3x the Go provider's plan)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from _common import report, timed  # noqa: E402

from pulumi_alaya.emulator import start_emulator  # noqa: E402
from pulumi_alaya.terraform.plugin_server import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, _certificate  # noqa: E402

from _demo.tofu import ROOT, cli_config, tofu_built, tofu_path, write_mirror  # noqa: E402

TIME_VERSION = "0.14.2"
OURS = """terraform {
  required_providers {
    alaya = { source = "alayanew/alaya" }
  }
}
resource "alaya_lora_deployment" "x" {
  base_service_id = "base-qwen2-7b"
  model_id        = "lora-bench"
  served_names    = ["bench"]
}
"""
THEIRS = """terraform {
  required_providers {
    time = { source = "hashicorp/time" }
  }
}
resource "time_static" "x" {}
"""


def time_provider() -> Path:
    """terraform-provider-time from the Go module proxy, built once into .cache (one build at a time)."""
    folder = Path(os.environ.get("PULUMI_ALAYA_CACHE") or ROOT / ".cache") / f"terraform-provider-time-v{TIME_VERSION}"
    binary = folder / "terraform-provider-time"
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
            started = time.perf_counter()
            subprocess.run(["go", "install", "-trimpath", "-ldflags", "-s -w",
                            f"github.com/hashicorp/terraform-provider-time@v{TIME_VERSION}"], check=True,
                           env={**os.environ, "GOBIN": str(folder), "CGO_ENABLED": "0"}, timeout=1200)
            print(f"built terraform-provider-time v{TIME_VERSION} in {time.perf_counter() - started:.0f} s")
    return binary


def handshake_seconds(command: list[str], env: dict[str, str]) -> float:
    """Launch to the handshake line on stdout (what tofu waits for), then stop it."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env=env, start_new_session=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    took = time.perf_counter() - started
    process.kill()
    process.wait()
    assert line.startswith("1|"), f"no handshake from {command[0]}: {line!r}"
    return took


def launches(folder: Path, env: dict[str, str], name: str) -> int:
    logged = subprocess.run([str(tofu_path()), "plan", "-input=false", "-no-color"], cwd=folder,
                            env={**env, "TF_LOG": "debug"}, capture_output=True, text=True, timeout=600)
    return logged.stderr.count(f"starting plugin: path=.terraform/providers/registry.opentofu.org/{name}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="one round, for the test suite")
    parser.add_argument("--python", help="the launcher's Python (ALAYA_TERRAFORM_PYTHON), e.g. past a pyenv shim")
    args = parser.parse_args()
    rounds = 1 if args.smoke else args.rounds
    if not tofu_built():
        print(f"tofu_plan: no tofu in {tofu_path().parent}: run scripts/opentofu.sh first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="tofu-bench-") as tmp, start_emulator() as emulator:
        emulator.set_timing(startup_seconds=0.2, delete_seconds=0.1)
        base = Path(tmp)
        package = write_mirror(base / "mirror")
        unpacked = base / "mirror" / "registry.opentofu.org" / "hashicorp" / "time" / TIME_VERSION / "linux_amd64"
        unpacked.mkdir(parents=True)
        shutil.copy(time_provider(), unpacked / f"terraform-provider-time_v{TIME_VERSION}")
        config = cli_config(base / "tofu.tfrc", base / "mirror")
        config.write_text(config.read_text().replace('"registry.opentofu.org/alayanew/*"',
                                                     '"registry.opentofu.org/alayanew/*", '
                                                     '"registry.opentofu.org/hashicorp/time"'))
        chosen = {"ALAYA_TERRAFORM_PYTHON": args.python} if args.python else {}
        env = {"PATH": os.environ["PATH"], "HOME": tmp, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1",
               "CHECKPOINT_DISABLE": "1", **chosen, **emulator.env}
        folders = {}
        for name, text in (("ours", OURS), ("theirs", THEIRS)):
            folders[name] = base / name
            folders[name].mkdir()
            (folders[name] / "main.tf").write_text(text)
            for step in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
                subprocess.run([str(tofu_path()), *step], cwd=folders[name], env=env, check=True,
                               capture_output=True, timeout=600)

        def plan(name: str) -> None:
            subprocess.run([str(tofu_path()), "plan", "-detailed-exitcode", "-input=false", "-no-color"],
                           cwd=folders[name], env=env, check=True, capture_output=True, timeout=600)

        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(rounds):
            theirs += timed(lambda: plan("theirs"))
            ours += timed(lambda: plan("ours"))
        ratio = report("tofu plan, one resource (alaya_lora_deployment vs time_static)", ours, theirs, "<= 3x")

        key, certificate, _ = _certificate()
        plugin_env = {"PATH": os.environ["PATH"], MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE,
                      "PLUGIN_CLIENT_CERT": certificate.decode(), "PLUGIN_PROTOCOL_VERSIONS": "5,6"}
        installed = folders["ours"] / ".terraform/providers/registry.opentofu.org/alayanew/alaya"
        launcher = next(installed.rglob("terraform-provider-alaya_v*"))
        lib = str(launcher.parent / "lib")
        python = args.python or shutil.which(f"python{sys.version_info[0]}.{sys.version_info[1]}") or sys.executable
        plugin_env.update(chosen)
        ours_up = [handshake_seconds([str(launcher)], plugin_env) for _ in range(max(rounds, 3))]
        theirs_up = [handshake_seconds([str(time_provider())], plugin_env) for _ in range(max(rounds, 3))]
        bare = timed(lambda: subprocess.run([python, "-I", "-S", "-B", "-c", "pass"], check=True), max(rounds, 3))

        def importing(module: str) -> list[float]:
            return timed(lambda: subprocess.run([python, "-I", "-S", "-B", "-c", f"import sys; sys.path[:0] = "
                                                 f"[{lib!r}]; import {module}"], check=True), max(rounds, 3))

        imports = importing("pulumi_alaya.terraform.service")  # what a launch imports before its handshake
        loaded = importing("pulumi_alaya.terraform.provider")  # what the first call that needs it loads
        median = statistics.median
        print(f"launches per plan: alaya {launches(folders['ours'], env, 'alayanew/alaya')}, "
              f"time {launches(folders['theirs'], env, 'hashicorp/time')}")
        print(f"start-up to handshake: alaya {median(ours_up) * 1000:.0f} ms (Python itself "
              f"{median(bare) * 1000:.0f} ms, imports (grpc) {(median(imports) - median(bare)) * 1000:.0f} "
              f"ms, certificate + gRPC server {(median(ours_up) - median(imports)) * 1000:.0f} ms), then "
              f"{(median(loaded) - median(imports)) * 1000:.0f} ms to load the provider (protobuf, the client) on the "
              f"first call past the schema; time (Go) {median(theirs_up) * 1000:.0f} ms")
        built = (tofu_path().parent / "complete").read_text().strip()
        print(f"provider zip {package.stat().st_size / 1e6:.1f} MB; tofu binary "
              f"{tofu_path().stat().st_size / 1e6:.0f} MB, {built} (scripts/opentofu.sh, once per version)")
        for name in folders:
            subprocess.run([str(tofu_path()), "destroy", "-auto-approve", "-input=false"], cwd=folders[name],
                           env=env, capture_output=True, timeout=600)
    return 0 if args.smoke or ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
