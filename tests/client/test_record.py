"""``client/record.py``: the records behave as the frozen dataclasses they replaced, for us and for users' code
that hands them to ``dataclasses`` (``fields``, ``replace``, ``asdict``), and pickles."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from pulumi_alaya.client import Deployment, DeploymentStatus
from pulumi_alaya.client.base_model_kind import BaseModelDeployment
from pulumi_alaya.client.declaration import Input
from pulumi_alaya.client.lora_kind import LORA
from pulumi_alaya.client.record import record_fields, replaced

FIELDS = dict(service_id="s-1", status=DeploymentStatus.RUNNING, service_url="http://x", api_key="sk-secret",
              served_name=("m",), base_service_id="b-1", model_id="lora-x", name="n", namespace="ns",
              raw={"apiKey": "sk-secret"})


def test_a_record_is_a_frozen_value_with_its_secrets_out_of_repr():
    one, two = Deployment(**FIELDS), Deployment(**{**FIELDS, "raw": {}, "status_raw": "RUNNING"})
    assert one == two and hash(one) == hash(two)  # raw and status_raw are not compared, as before
    assert one != replaced(one, name="other") and one.status_raw == ""  # a default
    assert "sk-secret" not in repr(one) and repr(one).startswith("Deployment(service_id='s-1', status=")
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.name = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.name
    assert pickle.loads(pickle.dumps(one)) == one


def test_a_record_refuses_what_a_dataclass_refuses():
    with pytest.raises(TypeError, match="missing required argument 'namespace'"):
        Deployment(**{key: value for key, value in FIELDS.items() if key != "namespace"})
    with pytest.raises(TypeError, match="unexpected argument 'colour'"):
        Deployment(**FIELDS, colour="red")
    with pytest.raises(TypeError, match="second value for argument 'key'"):
        Input("a", "b", "string", "d", key="again")
    with pytest.raises(TypeError, match=f"takes {len(record_fields(Input))} positional arguments, 30 given"):
        Input(*range(30))


def test_post_init_runs_and_subclasses_add_their_fields_after_their_parents():
    assert Input("model_id", "modelId", "string", "d", spec_field="model_id").api_path == "modelId"
    assert record_fields(BaseModelDeployment) == (*record_fields(Deployment), "extra")


def test_dataclasses_functions_take_records_as_before():
    deployment = Deployment(**FIELDS)
    assert dataclasses.is_dataclass(deployment)
    assert [field.name for field in dataclasses.fields(Deployment)] == list(record_fields(Deployment))
    assert dataclasses.replace(deployment, name="other") == replaced(deployment, name="other")
    assert dataclasses.asdict(deployment)["served_name"] == ("m",)
    assert [field.name for field in dataclasses.fields(BaseModelDeployment)][-1] == "extra"  # its own, not cached
    changed = dataclasses.replace(LORA, resource="Other")
    assert changed.resource == "Other" and changed.inputs == LORA.inputs and changed != LORA
