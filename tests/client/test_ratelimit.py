"""The client's shared, adaptive send rate (``ClientRateLimiter``) on a fake clock, and through a real pool."""

from __future__ import annotations

import pytest

from pulumi_alaya.client import AlayaClient
from pulumi_alaya.client.ratelimit import ClientRateLimiter


class FakeClock:
    """Time that moves only when someone sleeps: every wait the limiter asks for is recorded."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def limiter(clock: FakeClock) -> ClientRateLimiter:
    return ClientRateLimiter(clock=clock, sleep=clock.sleep)


def test_unlimited_until_the_first_429(clock):
    rate = limiter(clock)
    assert [rate.acquire(deadline=clock.now + 10) for _ in range(50)] == [100.0] * 50
    assert rate.rate is None and clock.slept == []


def test_a_retry_after_holds_every_send_of_the_client_until_it_ends(clock):
    rate = limiter(clock)
    sent = rate.acquire(deadline=200)
    rate.throttled(sent, retry_after=2.0)
    assert rate.acquire(deadline=200) >= 102.0  # a first attempt of another request waits too
    assert rate.acquire(deadline=200, retry=True) >= 102.0


def test_no_slot_before_the_deadline_returns_at_once_without_waiting(clock):
    rate = limiter(clock)
    rate.throttled(rate.acquire(deadline=200), retry_after=30.0)
    assert rate.acquire(deadline=clock.now + 5) is None and clock.slept == []


def test_a_throttled_retry_does_not_queue_behind_first_attempts(clock):
    rate = limiter(clock)
    for _ in range(20):
        rate.acquire(deadline=200)
    rate.throttled(clock.now, retry_after=1.0)
    firsts = [rate.acquire(deadline=200) for _ in range(5)]  # paced behind each other after the block
    assert firsts[0] == 101.0 and firsts == sorted(firsts) and firsts[-1] > firsts[0]
    assert rate.acquire(deadline=200, retry=True) == clock.now  # its own line: no gap after the five


def test_the_rate_drops_once_per_episode_and_grows_back_on_success(clock):
    rate = limiter(clock)
    for _ in range(20):
        clock.now += 0.01
        sent = rate.acquire(deadline=200)
    rate.throttled(sent, retry_after=None)
    dropped = rate.rate
    assert dropped is not None and 0.5 <= dropped < 100  # 0.7 of the ~100/s being sent
    rate.throttled(sent, retry_after=None)  # sent before the drop: says nothing new
    assert rate.rate == dropped
    for _ in range(40):
        clock.now += 0.05
        rate.acquire(deadline=200)
        rate.succeeded()
    assert rate.rate > dropped


def test_a_429_in_a_batch_holds_back_the_whole_pool_not_only_its_request(emulator):
    # Without the shared limiter, the second worker reads on through the other 39 IDs while the first waits.
    ids = emulator.add_deployments(*({"serviceId": f"pool-{i:02d}"} for i in range(40)))
    emulator.set_faults({ids[0]: {"times": 1, "status": 429, "retry_after": 1}})
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url, max_workers=2) as client:
        assert [d.service_id for d in client.get_deployments(ids)] == ids
    throttling = emulator.throttling()
    assert throttling["answered429"] == 1 and throttling["early"] == 0
    assert throttling["insideWindow"] <= 4, throttling  # at most what was in flight when the 429 was read
