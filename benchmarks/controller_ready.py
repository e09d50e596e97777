"""`alaya controller` on the real control plane (tests/support/kubernetes): how close apply -> Ready comes to what
the API itself takes, under a rate limit, and what the controller holds in memory.

1. One LoraDeployment, apply -> Ready, against the emulator's own start time for a deployment (the floor: no
   controller can be Ready before the deployment runs). Ratio, informative.
2. N resources applied at once under the emulator's rate limit, all Ready, against the floor the bucket allows
   (API requests answered / rate, as benchmarks/bursts.py). Goal <= 1.3x.
3. The controller's resident memory (VmRSS) idle with M resources Ready.

Run: python benchmarks/controller_ready.py [--smoke]     (--smoke: 5 resources, 10 for memory)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent / "tests")]
from support.kubernetes.alaya import LoggedEmulator  # noqa: E402
from support.kubernetes.cluster import ROOT, start_cluster  # noqa: E402
from support.kubernetes.controller import Controller, apply  # noqa: E402
from support.kubernetes.processes import Process  # noqa: E402

API = "serverless.alayanew.com/v1alpha1"
STARTUP = 2.0  # seconds the emulator's deployments take to start


def lora(name: str, namespace: str) -> dict[str, object]:
    return {"apiVersion": API, "kind": "LoraDeployment", "metadata": {"name": name, "namespace": namespace},
            "spec": {"baseServiceId": "base-qwen2-7b", "modelId": "lora-support-v3", "servedNames": [name],
                     "resyncInterval": "10m"}}


def ready_all(cluster, namespace: str, count: int) -> float:
    started = time.monotonic()
    apply(cluster, *[lora(f"r{i}", namespace) for i in range(count)])
    cluster.kubectl("wait", "--for=condition=Ready", "--timeout=600s", "-n", namespace, "loradeployments", "--all",
                    timeout=620)
    return time.monotonic() - started


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    flags = argparse.ArgumentParser(description=__doc__)
    flags.add_argument("--smoke", action="store_true")
    args = flags.parse_args()
    burst, idle, rate = (5, 10, 5.0) if args.smoke else (50, 100, 10.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cluster = start_cluster(folder / "cluster")
        api_process = Process("emulator", [sys.executable, "-u", "-m", "pulumi_alaya.emulator", "--port", "0"],
                              folder / "emulator.log")
        controller = None
        try:
            cluster.kubectl("apply", "-k", str(ROOT / "deploy" / "kubernetes"))
            cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                            "crd/loradeployments.serverless.alayanew.com")
            api = LoggedEmulator(api_process)
            api.set_timing(STARTUP, 0.1)
            controller = Controller(cluster, api, folder).start()
            for namespace in ("one", "burst", "idle"):
                cluster.kubectl("create", "namespace", namespace)
            one = ready_all(cluster, "one", 1)
            print(f"apply->Ready, one LoRA: {one:.2f} s; the emulator's start time {STARTUP:.2f} s; "
                  f"ratio {one / STARTUP:.2f}x (informative: the floor is the API's own start)")
            api.set_timing(0.0, 0.0)
            api.set_rate_limit(rate, rate)
            before = len(api.requests())
            took = ready_all(cluster, "burst", burst)
            answered = [r for r in api.requests()[before:] if r["status"] != 429]
            floor = max(0.0, (len(answered) - rate)) / rate  # the first bucket is free
            early = api.throttling()["early"]
            print(f"{burst} LoRAs under {rate:g} requests/s: {took:.2f} s; floor {floor:.2f} s "
                  f"({len(answered)} requests answered); ratio {took / max(floor, 0.001):.2f}x (goal <= 1.3x); "
                  f"429s {api.throttling()['answered429']}, early arrivals {early}")
            api.set_rate_limit(0)
            ready_all(cluster, "idle", idle)
            assert controller.process is not None
            time.sleep(3)  # the measurement: idle means after the last step, not a synchronisation
            print(f"controller memory idle with {idle + burst + 1} resources Ready: "
                  f"{rss_mib(controller.process.popen.pid):.1f} MiB RSS")
        finally:
            if controller is not None:
                controller.stop()
            api_process.stop()
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
