"""A bounded soak of one emulator process: a mixed load of reads, creates, deletes, chat completions and SSE
streams from several client processes, then requests per second, errors (goal 0) and the emulator's RSS at
100k requests and at the end (goal: flat, at most 64 MiB). Not part of the suite (issue 18, item 4).

Loopback only; stops by itself after ``--requests`` or ``--max-seconds``, whichever comes first.

Run: python benchmarks/soak.py [--requests 1000000] [--processes 3] [--threads 4] [--smoke]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from pulumi_alaya.emulator import start_emulator  # noqa: E402

from support.seed import SUPPORT, SUPPORT_KEY  # noqa: E402

API = "/api/serverless-infer/v1"
AUTH = {"Authorization": "plain Credential=demo-ak,Signature=demo-sk", "Content-Type": "application/json"}
CHAT = {"apiKey": SUPPORT_KEY, "Content-Type": "application/json"}
# One round of the mix (12 requests): mostly reads and chat, a create and its delete, one stream.
MIX = ("read", "read", "read", "read", "chat", "chat", "chat", "stream", "read", "create", "read", "delete")
CHECKPOINT = 100_000


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(url: str, quota: int, stop_at: float, name: str, done: multiprocessing.Value,  # type: ignore[type-arg]
           errors: multiprocessing.Value, first_errors: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One client thread: ``quota`` requests of the mix over one keep-alive connection (reopened on trouble)."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    connection = http.client.HTTPConnection(host, port, timeout=30)
    created: list[str] = []
    sent = 0

    def call(method: str, path: str, body: object, headers: dict[str, str], stream: bool = False) -> object:
        nonlocal connection
        try:
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            return fail(f"{method} {path}: {exc!r}")
        if answer.status != 200:
            return fail(f"{method} {path}: HTTP {answer.status} {data[:120]!r}")
        if stream:
            return data if data.rstrip().endswith(b"data: [DONE]") else fail(f"stream without [DONE]: {data[-60:]!r}")
        return json.loads(data)

    def fail(what: str) -> None:
        with errors.get_lock():
            errors.value += 1
            if errors.value <= 5:
                first_errors.put(what)

    chat = {"model": "support-bot", "messages": [{"role": "user", "content": "ping"}], "max_tokens": 4}
    while sent < quota and time.monotonic() < stop_at:
        for kind in MIX:
            if kind == "read":
                call("GET", f"{API}/deployment/{created[-1] if created else SUPPORT}", None, AUTH)
            elif kind == "chat":
                call("POST", f"/svc/{SUPPORT}/v1/chat/completions", chat, CHAT)
            elif kind == "stream":
                call("POST", f"/svc/{SUPPORT}/v1/chat/completions", {**chat, "stream": True}, CHAT, stream=True)
            elif kind == "create":
                body = {"baseServiceId": "base-qwen2-7b", "modelId": "soak", "name": f"soak-{name}-{sent}",
                        "servedName": [f"soak-{name}-{sent}"]}
                answer = call("POST", f"{API}/deployment/lora", body, AUTH)
                if isinstance(answer, dict):
                    created.append(answer["data"]["serviceId"])
            elif kind == "delete" and created:
                call("DELETE", f"{API}/deployment/{created.pop()}", None, AUTH)
            sent += 1
        with done.get_lock():
            done.value += len(MIX)
    connection.close()


def client_process(url: str, quota: int, stop_at: float, name: str, threads: int, done, errors, first) -> None:
    import threading

    share = quota // threads
    pool = [threading.Thread(target=worker, args=(url, share, stop_at, f"{name}t{t}", done, errors, first))
            for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--smoke", action="store_true", help="a tiny run (6,000 requests) to check it works")
    args = parser.parse_args()
    total = 6_000 if args.smoke else args.requests
    with start_emulator() as emulator:
        emulator.set_timing(0, 0)
        pid = emulator.process.pid
        start_rss = rss_mib(pid)
        done, errors = multiprocessing.Value("q", 0), multiprocessing.Value("q", 0)
        first: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
        started = time.monotonic()
        stop_at = started + args.max_seconds
        quota = total // args.processes
        clients = [multiprocessing.Process(target=client_process, args=(
            emulator.url, quota, stop_at, f"p{n}", args.threads, done, errors, first)) for n in range(args.processes)]
        for process in clients:
            process.start()
        checkpoints: list[tuple[int, float, float]] = []
        next_mark = min(CHECKPOINT, total)
        while any(process.is_alive() for process in clients):
            time.sleep(0.5)  # a progress poll, not synchronisation: the clients end by themselves
            if done.value >= next_mark:
                checkpoints.append((done.value, time.monotonic() - started, rss_mib(pid)))
                print(f"  {done.value:>9,} requests  {checkpoints[-1][1]:7.1f} s  emulator RSS "
                      f"{checkpoints[-1][2]:.1f} MiB", flush=True)
                next_mark += CHECKPOINT
        for process in clients:
            process.join()
        elapsed = time.monotonic() - started
        end_rss = rss_mib(pid)
        shown = []
        while not first.empty():
            shown.append(first.get())
    at_100k = next((rss for count, _, rss in checkpoints if count >= CHECKPOINT), None)
    stopped = "" if done.value >= total - len(MIX) * args.processes * args.threads else " (stopped by --max-seconds)"
    print(f"soak: {done.value:,} requests{stopped} in {elapsed:.0f} s = {done.value / elapsed:,.0f} requests/s; "
          f"errors {errors.value} (goal 0); emulator RSS start {start_rss:.1f} MiB, "
          f"at 100k {at_100k if at_100k is None else round(at_100k, 1)} MiB, end {end_rss:.1f} MiB (goal flat, "
          f"<= 64 MiB)")
    for line in shown:
        print("  first errors:", line)
    if errors.value or end_rss > 64:
        raise SystemExit(1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
