"""The kind declarations: every check applies to every text input of every kind, and the rule a schema carries
(pattern, minimum, maximum, choices) gives the same answer as the client's own check."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pulumi_alaya.client import AlayaInputError
from pulumi_alaya.client.kinds import KINDS, kind_named

# More valid and invalid samples per input key, beyond what each input's declaration gives (``samples``).
GOOD: dict[str, list[Any]] = {
    "base_service_id": ["base-1", "a.b_c"], "vks_id": ["vks-1"], "namespace": ["team-a", "a"],
    "name": ["bot", "Bot_2-x"], "served_names": [["m"], ["qwen/7b:v1@x", "b"]], "model_id": ["org/model:v1@2"],
    "backend": ["vllm", "sglang"], "backend_version": ["0.6.3", "v1+cu121"], "backend_args": [["--x=1"], []],
    "workers": [1, 64], "cpu": ["8", "0.5", "500m"], "mem": ["32Gi", "512Mi"], "gpu_type": ["A100", "H800.x"],
    "gpu_count": [1, 64],
}
BAD: dict[str, list[Any]] = {
    "base_service_id": ["a/b", "", "x" * 129], "vks_id": ["a b", ""], "namespace": ["Team", "-a", "a" * 64],
    "name": ["-bot", "a b", "x" * 64], "served_names": [["a b"], ["x" * 129]], "model_id": ["a b", ""],
    "backend": ["tgi", "VLLM"], "backend_version": ["-1", "a b"], "backend_args": [],
    "workers": [0, 65], "cpu": ["8 cores", "-1", "1.5m"], "mem": ["32", "32GB"], "gpu_type": ["-A100", "a b"],
    "gpu_count": [0, 65],
}


def samples(item: Any) -> tuple[list[Any], list[Any]]:
    """Valid and invalid values of an input: its declared examples and the values its declared rule (limits,
    choices, pattern) refuses, then the tables' own for that key; so a new kind's inputs need no table entry."""
    good = [value for value in (item.example, item.other_example) if value is not None] + GOOD.get(item.key, [])
    bad = list(BAD.get(item.key, []))
    if item.minimum is not None:
        bad.append(item.minimum - 1)
    if item.maximum is not None:
        bad.append(item.maximum + 1)
    if item.choices:
        bad.append("not-one-of-the-choices")
    if item.pattern:
        bad += [["a b"]] if item.kind == "strings" else ["", "a b"]
    return good, bad


def _schema_accepts(item: Any, value: Any) -> bool:
    """What a schema holding only the declared pattern/limits/choices would say."""
    values = value if item.kind == "strings" else [value]
    for one in values:
        if item.pattern and not re.fullmatch(item.pattern, one):
            return False
        if item.choices and one not in item.choices:
            return False
        if item.minimum is not None and one < item.minimum:
            return False
        if item.maximum is not None and one > item.maximum:
            return False
    return True


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_spec_input_has_samples_and_a_check(kind: Any) -> None:
    for item in kind.spec_inputs:
        good, bad = samples(item)
        assert good, f"declare an example of {kind.name}.{item.key}"
        assert bad or item.kind == "strings", f"declare a rule (pattern, limits, choices) of {kind.name}.{item.key}"
        assert item.check is not None, f"{kind.name}.{item.key} has no check"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_schema_rules_agree_with_the_client_checks(kind: Any) -> None:
    for item in kind.spec_inputs:
        good, bad = samples(item)
        for value in good:
            assert not kind.problems({item.key: value}), (item.key, value)
            assert _schema_accepts(item, value), (item.key, value)
        for value in bad:
            assert kind.problems({item.key: value}), (item.key, value)
            if item.kind != "strings" or value:
                assert not _schema_accepts(item, value), f"{kind.name}.{item.key}: schema would accept {value!r}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_a_lone_surrogate_or_line_break_is_refused_in_every_text_input(kind: Any) -> None:
    for item in kind.spec_inputs:
        if item.kind not in ("string", "strings"):
            continue
        good = samples(item)[0][0]
        for bad_char in ("\ud800", "\n"):
            value = [good[0] + bad_char] if item.kind == "strings" else good + bad_char
            problems = kind.problems({item.key: value})
            assert item.key in problems, (kind.name, item.key, bad_char)
            with pytest.raises(AlayaInputError):
                item.checked(value)


def test_kinds_are_found_by_name_or_resource() -> None:
    assert kind_named("lora") is kind_named("LoraDeployment")
    assert kind_named("base_model").replaced_on_change == {"vks_id", "namespace"}
    assert kind_named("lora").offline_opt_in and not kind_named("base_model").offline_opt_in
    with pytest.raises(KeyError):
        kind_named("embedding")


def test_a_base_model_answer_with_a_lone_surrogate_is_refused_like_a_lora_answer() -> None:
    from pulumi_alaya.client import AlayaMalformedResponseError, BaseDeployment, Deployment

    raw = {"serviceId": "b1", "status": "running", "serviceUrl": "https://x", "servedName": ["m"], "vksId": "v",
           "mode": "quickStart", "quickStart": {"backend": "vllm\ud800"}}
    with pytest.raises(AlayaMalformedResponseError, match="backend"):
        BaseDeployment.from_deployment(Deployment.from_raw(raw, "b1"))
