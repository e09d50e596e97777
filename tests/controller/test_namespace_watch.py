"""``controller/namespace_watch.py`` against the kopf installed: the watch's own first listing of namespaces is
read, so a namespace made while the controller starts is watched (kopf skips that listing as already seen)."""

from __future__ import annotations

import asyncio
import functools

import pytest

pytest.importorskip("kopf")

from kopf._cogs.structs.references import Insights  # noqa: E402
from kopf._core.reactor import observation  # noqa: E402

from pulumi_alaya.controller.namespace_watch import watch_namespaces_made_at_start  # noqa: E402


def _listed(name: str, **metadata: object) -> dict:
    """One namespace as a watch's first listing hands it on: an event without a type."""
    return {"type": None, "object": {"metadata": {"name": name, **metadata}}}


def _observed(events: list[dict]) -> set:
    """On a loop of its own: asyncio.run() would leave the main thread without the loop Pulumi's mocks take."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(_observe(events))
    finally:
        loop.close()


async def _observe(events: list[dict]) -> set:
    insights = Insights()
    # What kopf's namespace observer does: the function looked up when the watch starts, bound to the patterns.
    process = functools.partial(observation.process_discovered_namespace_event, namespaces=["team-*"],
                                insights=insights)
    for event in events:
        await process(raw_event=event)
    return set(insights.namespaces)


def test_a_namespace_in_the_watch_first_listing_is_watched_once_mended():
    made_at_start = [_listed("team-a"), _listed("other"), {"type": "ADDED", "object": {"metadata": {"name": "team-b"}}}]
    original = observation.process_discovered_namespace_event
    try:
        assert _observed(made_at_start) == {"team-b"}  # kopf's own: team-a is never watched
        assert watch_namespaces_made_at_start() and watch_namespaces_made_at_start()  # idempotent
        assert _observed(made_at_start) == {"team-a", "team-b"}
        gone = [*made_at_start, {"type": "DELETED", "object": {"metadata": {"name": "team-a"}}}]
        assert _observed(gone) == {"team-b"}
    finally:
        observation.process_discovered_namespace_event = original


def test_a_kopf_without_that_observer_leaves_it_alone_with_a_warning(monkeypatch, caplog):
    monkeypatch.delattr(observation, "revise_namespaces")
    with caplog.at_level("WARNING", logger="alaya.controller"):
        assert watch_namespaces_made_at_start() is False
    assert "may be watched only after a restart" in caplog.text
