"""The provider's names, written once for the schema generator and the running provider."""

from __future__ import annotations

from ..client.declaration import Kind

PROVIDER = "registry.opentofu.org/alayanew/alaya"
EPHEMERAL_KEY = "alaya_lora_deployment_key"
ID_DESCRIPTION = "The deployment's serviceId (the same as `service_id`): what `tofu import` takes."
# The timeouts block's attributes and the operation each bounds.
TIMEOUTS = (("create", "a create's wait until running"), ("update", "an offline update's wait until running"),
            ("delete", "a delete's wait until gone"))


def type_name(kind: Kind) -> str:
    """``alaya_lora_deployment``, ``alaya_base_model_deployment``: one resource and one data source per kind."""
    return f"alaya_{kind.name}_deployment"
