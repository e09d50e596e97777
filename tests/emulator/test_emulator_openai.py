"""The emulator as users' test double: the official ``openai`` SDK against a deployment's endpoint."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from pulumi_alaya.client import AlayaClient

from support.seed import SUMMARY, SUPPORT


@pytest.fixture
def deployment(client):
    return client.get_deployment(SUPPORT)


def sdk(dep, key=None, cls=openai.OpenAI):
    # Alaya takes the key in an ``apiKey`` header; the SDK's own Authorization header carries nothing secret.
    return cls(base_url=dep.openai_base_url, api_key="unused", default_headers={"apiKey": key or dep.api_key},
               max_retries=0)


def test_create_with_n_choices_and_usage(deployment):
    completion = sdk(deployment).chat.completions.create(
        model=deployment.model, n=2, messages=[{"role": "user", "content": "who are you"}])
    assert [c.index for c in completion.choices] == [0, 1]
    assert completion.choices[0].message.content.startswith("Hello from support-bot")
    assert completion.usage.prompt_tokens == 3 and completion.usage.total_tokens > 3


def test_stream_yields_chunks_and_ends(deployment):
    stream = sdk(deployment).chat.completions.create(
        model=deployment.model, stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "hi"}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.startswith("Hello from support-bot") and chunks[-1].usage is not None
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def test_the_stream_helper_accumulates_the_message(deployment):
    with sdk(deployment).chat.completions.stream(model=deployment.model,
                                                 messages=[{"role": "user", "content": "hi"}]) as stream:
        final = stream.get_final_completion()
    assert final.choices[0].message.content.startswith("Hello from support-bot")


def test_async_client(deployment):
    async def ask():
        async with sdk(deployment, cls=openai.AsyncOpenAI) as client:
            return await client.chat.completions.create(model=deployment.model,
                                                        messages=[{"role": "user", "content": "hi"}])
    # In a thread of its own: asyncio.run() leaves no event loop behind, which later pulumi tests need.
    with ThreadPoolExecutor(1) as thread:
        completion = thread.submit(asyncio.run, ask()).result()
    assert completion.choices[0].message.content.startswith("Hello")


def test_models_list_and_retrieve(client):
    dep = client.wait_until_running(SUMMARY, 30)
    models = sdk(dep).models
    assert [m.id for m in models.list()] == ["summariser", "summariser-v1"]
    assert models.retrieve("summariser-v1").id == "summariser-v1"
    with pytest.raises(openai.NotFoundError):
        models.retrieve("nope")


def test_wrong_key_and_wrong_model_are_openai_errors(deployment):
    with pytest.raises(openai.AuthenticationError) as info:
        sdk(deployment, key="sk-wrong").chat.completions.create(model=deployment.model,
                                                                messages=[{"role": "user", "content": "hi"}])
    assert info.value.code == "invalid_api_key"
    with pytest.raises(openai.NotFoundError) as missing:
        sdk(deployment).chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.code == "model_not_found"


def test_the_request_log_is_bounded_and_filtered_by_the_emulator(emulator):
    with AlayaClient(emulator.access_key, emulator.secret_key, emulator.url) as alaya:
        alaya.get_deployment(SUPPORT)
    assert [r["method"] for r in emulator.requests(SUPPORT, "GET")] == ["GET"]
    assert emulator.requests(SUPPORT, "DELETE") == []
    from pulumi_alaya.emulator.state import REQUEST_LOG_LIMIT, World

    world = World({"deployments": []}, "http://127.0.0.1:1")
    for n in range(REQUEST_LOG_LIMIT + 5):
        world.record("GET", f"/x/{n}")
    kept = world.requests()
    assert len(kept) == REQUEST_LOG_LIMIT and kept[0]["path"] == "/x/5"
