"""Property: any JSON body gives either a Deployment or a typed AlayaError from the parser, nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_alaya.client import AlayaError, Deployment, DeploymentStatus
from pulumi_alaya.client.models import unwrap_envelope

SID = "fuzz-1"
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
field_values = scalars | st.lists(scalars, max_size=3) | st.sampled_from(
    ["running", "staring", "stoped", "RUNNING ", SID, [SID], ["a", "b"]])
deployment_like = st.fixed_dictionaries(
    {}, optional={key: field_values for key in ("serviceId", "status", "serviceUrl", "apiKey", "apikey",
                                                "servedName", "baseServiceId", "modelId", "name", "namespace")})
bodies = json_values | deployment_like | st.fixed_dictionaries(
    {"code": st.sampled_from([0, "0", -1, "-1", 1, None, True, 0.0]),
     "data": json_values | deployment_like | deployment_like.map(lambda d: {**d, "serviceId": SID}),
     "msg": scalars})


def parse(body: object) -> Deployment:
    return Deployment.from_raw(unwrap_envelope(body, SID, 200), SID)


@settings(max_examples=600, deadline=None)
@given(bodies)
def test_any_body_gives_a_record_or_a_typed_error(body):
    try:
        dep = parse(body)
    except AlayaError as error:
        assert "\n" not in str(error) and repr(SID) in str(error)
        return
    assert isinstance(dep.status, DeploymentStatus) and dep.service_id == SID
    assert all(isinstance(name, str) for name in dep.served_name)
    assert isinstance(dep.api_key, str) and isinstance(dep.openai_base_url, str)


@given(st.sampled_from(["starting", "running", "stopping", "stopped", "failed"]), st.booleans(), st.booleans())
def test_every_documented_shape_round_trips(status, bare, string_code):
    data = {"serviceId": SID, "status": status, "servedName": ["m"], "apikey": "k", "serviceUrl": "https://x.example/s"}
    body = data if bare else {"code": "0" if string_code else 0, "data": data, "msg": ""}
    dep = parse(body)
    assert dep.status.value == status and dep.model == "m" and dep.api_key == "k"
