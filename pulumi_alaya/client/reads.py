"""Reading one deployment: ``GET /deployment/{serviceId}`` as a typed ``Deployment``."""

from __future__ import annotations

from urllib.parse import quote

from .errors import AlayaError, Subject
from .models import Deployment
from .request_path import RequestPath
from .rules import validate_service_id

__all__ = ["Reads"]


class Reads(RequestPath):
    def get_deployment(self, service_id: str, *, deadline: float | None = None) -> Deployment:
        """``GET /deployment/{serviceId}``: a LoRA (or base-model) deployment as a typed record."""
        service_id = validate_service_id(service_id)
        payload = self._api_request("GET", "/deployment/" + quote(service_id, safe=""),
                                    Subject.deployment(service_id), deadline=deadline)
        try:
            deployment = Deployment.from_raw(payload, service_id)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        else:
            if deployment.api_key:
                self._seen_api_keys.add(deployment.api_key)
            return deployment
        raise failure
