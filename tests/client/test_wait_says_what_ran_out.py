"""Issue 28: a wait that ends because its own time is up says so, with the last status seen; a network failure
says network. Each against the real emulator."""

from __future__ import annotations

import socket

import pytest

from pulumi_alaya.client import AlayaClient, AlayaWaitTimeoutError

from support.seed import SUMMARY  # starting, and stays so while the emulator's startup time lasts


@pytest.fixture
def slow_start(emulator):
    emulator.set_timing(60.0, 0.0)
    return emulator


def client_for(url, emulator, **settings):
    return AlayaClient(emulator.access_key, emulator.secret_key, url, backoff=0.01, max_backoff=0.05, **settings)


def test_a_wait_whose_time_is_up_says_so_with_the_last_status(slow_start):
    with client_for(slow_start.url, slow_start, timeout=5) as alaya, pytest.raises(AlayaWaitTimeoutError) as caught:
        alaya.wait_until_running(SUMMARY, 0.3)
    message = str(caught.value)
    assert "was still starting, not running, after waiting 0.3s" in message
    assert caught.value.last_status == "starting" and "network" not in message and "attempt" not in message


def test_a_read_cut_short_by_the_waits_own_time_is_not_called_a_network_failure(slow_start):
    slow_start.set_faults({SUMMARY: {"times": 0, "latency": 3}})  # every read answers after the wait's budget
    with client_for(slow_start.url, slow_start, timeout=10) as alaya, pytest.raises(AlayaWaitTimeoutError) as caught:
        alaya.wait_until_running(SUMMARY, 0.5)
    message = str(caught.value)
    assert "after waiting 0.5s (the last read was still unanswered when the time ran out)" in message
    assert "network" not in message and "timed out after" not in message


def test_a_network_failure_says_network(emulator):
    with socket.socket() as probe:  # a port nothing listens on: every read is refused
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with client_for(closed, emulator, timeout=1) as alaya, pytest.raises(AlayaWaitTimeoutError) as caught:
        alaya.wait_until_running(SUMMARY, 0.5)
    message = str(caught.value)
    assert "lost the connection" in message and "Check base_url and the network" in message
