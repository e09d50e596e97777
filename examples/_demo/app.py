"""The next step of a pipeline: an app that knows nothing but three values from its environment.

``ALAYA_OPENAI_BASE_URL``, ``ALAYA_API_KEY`` and ``ALAYA_MODEL`` are what ``alaya lora get --output env``
exports and what the Ansible modules and the Pulumi stacks output. The app sends one chat completion (on Alaya
the key travels in the ``apiKey`` header, not ``Authorization``) and prints the answer, or one line on stderr
and exit code 1. Standard library only: any app would do; this is not the project's client.

    out=$(alaya lora get "$SID" --wait --output env --show-secrets) && eval "$out" && python app.py
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request

NEEDED = ("ALAYA_OPENAI_BASE_URL", "ALAYA_API_KEY", "ALAYA_MODEL")


class ChatFailed(Exception):
    """The served model gave no chat completion; the message is one line without the key."""


def chat(openai_base_url: str, api_key: str, model: str, prompt: str = "Who are you?") -> str:
    body = {"model": model, "messages": [{"role": "user", "content": prompt}], "stream": False}
    request = urllib.request.Request(openai_base_url.rstrip("/") + "/chat/completions", method="POST",
                                     data=json.dumps(body).encode(),
                                     headers={"apiKey": api_key, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return str(json.load(answer)["choices"][0]["message"]["content"])
    except urllib.error.HTTPError as exc:
        raise ChatFailed(f"{model} answered HTTP {exc.code}: {_openai_error(exc)}") from None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ChatFailed(f"no chat completion from {model} at {openai_base_url}: {exc}") from None


def _openai_error(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.load(exc)["error"]["message"])
    except (OSError, ValueError, KeyError, TypeError):
        return exc.reason or "no message"


def main() -> int:
    missing = [name for name in NEEDED if not os.environ.get(name)]
    if missing:
        print(f"app: {', '.join(missing)} not set; run it after eval of alaya lora get --output env", file=sys.stderr)
        return 2
    try:
        print(chat(*(os.environ[name] for name in NEEDED)))
    except ChatFailed as exc:
        print(f"app: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
