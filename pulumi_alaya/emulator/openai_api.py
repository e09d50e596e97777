"""Each deployment's OpenAI-compatible endpoint, as the official ``openai`` SDK expects it to answer.

``POST {serviceUrl}/v1/chat/completions`` (with ``stream``: Server-Sent Events of ``chat.completion.chunk``
objects ending in ``data: [DONE]``; ``n`` choices; ``usage``), ``GET /v1/models`` and ``GET /v1/models/{id}``.
Errors have OpenAI's shape ``{"error": {"message", "type", "param", "code"}}``. The key travels in the
``apiKey`` header, as on Alaya (an OpenAI client sets it with ``default_headers``).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

Answer = tuple[int, Any, str]  # status, JSON payload or raw bytes, content type
JSON = "application/json"


def error(status: int, kind: str, code: str, message: str, param: str | None = None) -> Answer:
    return status, {"error": {"message": message, "type": kind, "param": param, "code": code}}, JSON


def answer(method: str, route: str, api_key: str | None, body: Any, dep: dict[str, Any]) -> Answer:
    """What ``route`` (``/v1/...`` below the serviceUrl) answers for deployment ``dep``."""
    if api_key != dep["apiKey"]:
        return error(401, "invalid_request_error", "invalid_api_key", "Missing or wrong apiKey header.")
    if dep["status"] != "running":
        return error(503, "server_error", "unavailable", f"The deployment is {dep['status']}.")
    names = dep["servedName"] if isinstance(dep["servedName"], list) else [dep["servedName"]]
    if route == "/v1/models" and method == "GET":
        return 200, {"object": "list", "data": [_model(n) for n in names]}, JSON
    if route.startswith("/v1/models/") and method == "GET":
        wanted = route[len("/v1/models/"):]
        if wanted not in names:
            return error(404, "invalid_request_error", "model_not_found", f"The model '{wanted}' does not exist.")
        return 200, _model(wanted), JSON
    if route != "/v1/chat/completions":
        return error(404, "invalid_request_error", "not_found", f"Unknown path {route}.")
    if method != "POST":
        return error(405, "invalid_request_error", "method_not_allowed", "Use POST.")
    return _completion(body, names, dep)


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "alaya"}


def _completion(body: Any, names: list[str], dep: dict[str, Any]) -> Answer:
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
        return error(400, "invalid_request_error", "invalid_value", "'messages' must be a non-empty list.",
                     "messages")
    if body.get("model") not in names:
        return error(404, "invalid_request_error", "model_not_found",
                     f"The model '{body.get('model')}' does not exist or is not served here.", "model")
    count = body.get("n", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 8:
        return error(400, "invalid_request_error", "invalid_value", "'n' must be an integer from 1 to 8.", "n")
    words = f"Hello from {body['model']}, a LoRA adapter on {dep.get('baseServiceId') or 'a base model'}.".split()
    limit = body.get("max_tokens") or body.get("max_completion_tokens")
    if isinstance(limit, int) and limit > 0:
        words = words[: max(limit, 3)]  # "Hello from <model>" at least, so callers can tell who answered
    prompt = sum(len(str(m.get("content", "")).split()) for m in body["messages"] if isinstance(m, dict))
    usage = {"prompt_tokens": prompt, "completion_tokens": len(words) * count,
             "total_tokens": prompt + len(words) * count}
    head = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "created": int(time.time()), "model": body["model"]}
    finish = "length" if isinstance(limit, int) and limit > 0 and len(words) >= limit else "stop"
    if body.get("stream"):
        return 200, _events(head, words, count, finish, usage, body), "text/event-stream"
    choices = [{"index": i, "message": {"role": "assistant", "content": " ".join(words)}, "logprobs": None,
                "finish_reason": finish} for i in range(count)]
    return 200, {**head, "object": "chat.completion", "choices": choices, "usage": usage}, JSON


def _events(head: dict[str, Any], words: list[str], count: int, finish: str, usage: dict[str, Any],
            body: dict[str, Any]) -> bytes:
    """Server-Sent Events as OpenAI streams them: a role delta, content deltas, a finish, ``[DONE]``."""
    chunks = []

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> None:
        chunks.append({**head, "object": "chat.completion.chunk", "choices": choices, **extra})

    for index in range(count):
        chunk([{"index": index, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for position, word in enumerate(words):
            text = word if position == 0 else " " + word
            chunk([{"index": index, "delta": {"content": text}, "finish_reason": None}])
        chunk([{"index": index, "delta": {}, "finish_reason": finish}])
    options = body.get("stream_options")
    if isinstance(options, dict) and options.get("include_usage"):
        chunk([], usage=usage)
    lines = [f"data: {json.dumps(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"]
    return "".join(lines).encode()
