"""A real Kubernetes control plane with External Secrets Operator on 127.0.0.1: etcd, kube-apiserver, ESO.

The binaries come from scripts/kubernetes-tools.sh (built once into .cache/, from tools/kubernetes/). No
kubelet, scheduler or controller-manager runs: objects are stored and validated by the real API server, and
ESO reconciles ExternalSecrets; Deployments are accepted but never run (nothing here needs them running).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import shlex
import subprocess
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .processes import Process, free_port, wait_for

ROOT = Path(__file__).resolve().parents[3]
BUILD_SCRIPT = ROOT / "scripts" / "kubernetes-tools.sh"
# Loopback only: never through a proxy named in the environment.
_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def kubernetes_tools() -> Path:
    """The folder with kube-apiserver, kubectl, etcd, external-secrets and eso-crds.yaml (built if missing)."""
    # The script is a no-op when the folder is complete; its build progress goes to the inherited stderr
    # (the terminal with -s, else pytest's capture of file descriptor 2).
    result = subprocess.run(["bash", str(BUILD_SCRIPT)], stdout=subprocess.PIPE, text=True, check=True)
    return Path(result.stdout.strip().splitlines()[-1])


def _service_account_keys(folder: Path) -> tuple[Path, Path]:
    key, pub = folder / "sa.key", folder / "sa.pub"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    subprocess.run(["openssl", "rsa", "-in", str(key), "-pubout", "-out", str(pub)], check=True,
                   capture_output=True)
    return key, pub


@dataclass
class Cluster:
    tools: Path
    folder: Path
    kubeconfig: Path
    processes: dict[str, Process] = field(default_factory=dict)
    # Every kubectl argv and its stderr, as a CI log would show them (scanned for secrets by a test).
    command_log: Path | None = None
    etcd_url: str = ""

    @property
    def env(self) -> dict[str, str]:
        """Environment for kubectl and the README's shell commands: our kubectl first on PATH."""
        # KUBECACHEDIR: kubectl's discovery cache in our folder, not in ~/.kube.
        return {**os.environ, "KUBECONFIG": str(self.kubeconfig), "KUBECACHEDIR": str(self.folder / "kube-cache"),
                "PATH": f"{self.tools}{os.pathsep}{os.environ.get('PATH', '')}"}

    def kubectl(self, *args: str, input: str | None = None, check: bool = True,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
        argv = [str(self.tools / "kubectl"), *args]
        done = subprocess.run(argv, input=input, capture_output=True, text=True, env=self.env, timeout=timeout)
        self._log(shlex.join(["kubectl", *args]), done)
        if check and done.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
        return done

    def shell(self, script: str, env: dict[str, str] | None = None, check: bool = True,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``script`` with bash (as a README block would be run), our kubectl on PATH."""
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True,
                              env={**self.env, **(env or {})}, timeout=timeout)
        self._log(script, done)
        if check and done.returncode != 0:
            raise AssertionError(f"shell script failed ({done.returncode}): {done.stderr.strip()}")
        return done

    def _log(self, command: str, done: subprocess.CompletedProcess[str]) -> None:
        if self.command_log is not None:
            with self.command_log.open("a") as log:
                log.write(f"$ {command}\n[exit {done.returncode}] {done.stderr}\n")

    def get(self, kind: str, name: str, namespace: str) -> dict[str, Any] | None:
        done = self.kubectl("get", kind, name, "-n", namespace, "-o", "json", check=False)
        if done.returncode != 0:
            if "NotFound" in done.stderr:
                return None
            raise AssertionError(f"kubectl get {kind} {name} failed: {done.stderr.strip()}")
        return dict(json.loads(done.stdout))

    def events(self, namespace: str, name: str) -> list[str]:
        """Messages of the events about object ``name`` in ``namespace`` (oldest first)."""
        done = self.kubectl("get", "events", "-n", namespace, "--field-selector", f"involvedObject.name={name}",
                            "-o", "json")
        items = sorted(json.loads(done.stdout)["items"], key=lambda e: e.get("lastTimestamp") or "")
        return [str(e.get("message", "")) for e in items]

    def logs(self) -> dict[str, str]:
        return {name: proc.log.read_text(errors="replace") for name, proc in self.processes.items()}

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self.processes[name].stop()


_NUMBERS = itertools.count(1)


def namespace_name(test_name: str, width: int, prefix: str = "") -> str:
    """A namespace named after the test (shortened, "test_" dropped) and a number: parametrized cases and
    repeated runs on one control plane get namespaces of their own."""
    short = re.sub(r"[^a-z0-9]+", "-", test_name.lower().removeprefix("test_"))[:width].strip("-")
    return f"{prefix}{short}-{next(_NUMBERS)}"


def start_cluster(folder: Path) -> Cluster:
    """etcd, kube-apiserver, ESO's CRDs, then the ESO controller; returns once ESO is live. Stop with stop()."""
    tools = kubernetes_tools()
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(tools, folder, folder / "kubeconfig", command_log=folder / "commands.log")
    try:
        _start_etcd(cluster)
        _start_apiserver(cluster)
        # create, not apply: the bundle is too big for apply's last-applied annotation, and server-side apply
        # spends seconds on managed fields of 1.6 MB of schemas; a fresh cluster needs neither.
        # --validate=false: ESO's own bundle, no field validation needed for it.
        cluster.kubectl("create", "--validate=false", "-f", str(tools / "eso-crds.yaml"), timeout=120)
        wait_for(lambda: _crds_established(cluster), "ESO's CRDs to be Established", 60,
                 lambda: str(_crds_established(cluster, report=True)))
        _start_eso(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _crds_established(cluster: Cluster, report: bool = False) -> bool | list[str]:
    """One raw GET (kubectl wait would first rediscover every new API group, seconds on a loaded machine)."""
    done = cluster.kubectl("get", "--raw", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", check=False)
    if done.returncode != 0:
        return [done.stderr.strip()] if report else False
    pending = [crd["metadata"]["name"] for crd in json.loads(done.stdout)["items"]
               if not any(c["type"] == "Established" and c["status"] == "True"
                          for c in (crd.get("status") or {}).get("conditions") or [])]
    return pending if report else not pending


def _start_etcd(cluster: Cluster) -> None:
    client, peer = free_port(), free_port()
    url = f"http://127.0.0.1:{client}"
    proc = Process("etcd", [str(cluster.tools / "etcd"), "--data-dir", str(cluster.folder / "etcd"),
                            "--listen-client-urls", url, "--advertise-client-urls", url,
                            "--listen-peer-urls", f"http://127.0.0.1:{peer}",
                            "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
                            "--initial-cluster", f"default=http://127.0.0.1:{peer}",
                            "--listen-metrics-urls", f"http://127.0.0.1:{free_port()}"],
                   cluster.folder / "etcd.log")
    cluster.processes["etcd"] = proc
    cluster.etcd_url = url

    def healthy() -> bool:
        if not proc.alive():
            raise AssertionError(f"etcd exited: {proc.tail()}")
        try:
            with _LOOPBACK.open(f"{url}/health", timeout=2) as answer:
                return b'"true"' in answer.read()
        except OSError:
            return False

    wait_for(healthy, "etcd /health", 30, proc.tail)


def _start_apiserver(cluster: Cluster) -> None:
    port = free_port()
    token = secrets.token_hex(16)
    (cluster.folder / "tokens.csv").write_text(f"{token},admin,admin,system:masters\n")
    key, pub = _service_account_keys(cluster.folder)
    proc = Process("kube-apiserver", [
        str(cluster.tools / "kube-apiserver"), "--etcd-servers", cluster.etcd_url,
        "--bind-address", "127.0.0.1", "--secure-port", str(port), "--cert-dir", str(cluster.folder / "certs"),
        "--token-auth-file", str(cluster.folder / "tokens.csv"), "--authorization-mode", "AlwaysAllow",
        "--service-account-issuer", "https://kubernetes.default.svc", "--service-account-key-file", str(pub),
        "--service-account-signing-key-file", str(key), "--service-cluster-ip-range", "10.0.0.0/24",
        "--advertise-address", "127.0.0.1", "--disable-admission-plugins", "ServiceAccount",
        # "none": the default reconciler refuses a loopback advertise address.
        "--endpoint-reconciler-type", "none"], cluster.folder / "kube-apiserver.log")
    cluster.processes["kube-apiserver"] = proc
    cluster.kubeconfig.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": f"https://127.0.0.1:{port}",
                                                  "insecure-skip-tls-verify": True}}],
        "users": [{"name": "admin", "user": {"token": token}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "admin", "namespace": "default"}}],
    }))

    def ready() -> bool:
        if not proc.alive():
            raise AssertionError(f"kube-apiserver exited: {proc.tail()}")
        return cluster.kubectl("get", "--raw", "/readyz", check=False, timeout=10).returncode == 0

    wait_for(ready, "kube-apiserver /readyz", 60, proc.tail, every=0.25)


def _start_eso(cluster: Cluster) -> None:
    live = free_port()
    proc = Process("external-secrets", [
        str(cluster.tools / "external-secrets"), "--metrics-addr", f"127.0.0.1:{free_port()}",
        "--live-addr", f"127.0.0.1:{live}", "--concurrent", "4"],
        cluster.folder / "external-secrets.log", env={**os.environ, "KUBECONFIG": str(cluster.kubeconfig)})
    cluster.processes["external-secrets"] = proc

    def live_ok() -> bool:
        if not proc.alive():
            raise AssertionError(f"external-secrets exited: {proc.tail()}")
        try:
            with _LOOPBACK.open(f"http://127.0.0.1:{live}/healthz", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    wait_for(live_ok, "ESO /healthz", 60, proc.tail, every=0.2)
