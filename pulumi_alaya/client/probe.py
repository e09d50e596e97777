"""The smoke test: one chat completion against a deployment's own endpoint, with its apiKey."""

from __future__ import annotations

from .answers import completion_text, parse_json, redirect_error
from .errors import AlayaError, AlayaInputError, AlayaProbeError, Subject, describe_service_id
from .models import Deployment
from .request_path import RequestPath
from .rules import validate_base_url

__all__ = ["Probe"]


class Probe(RequestPath):
    def probe(self, deployment: Deployment, prompt: str = "ping") -> str:
        """Smoke test: one chat completion with ``max_tokens: 1``; returns the answer's text (scrubbed).

        Succeeds only on HTTP 200 with a well-formed OpenAI completion. Note the header is ``apiKey``.
        """
        sid = describe_service_id(deployment.service_id)
        if deployment.api_key:
            self._seen_api_keys.add(deployment.api_key)
        try:
            url = self._service_url(deployment)
            if not deployment.model:
                raise AlayaProbeError(
                    f"Deployment {sid} has no servedName, so no model to call. Check it in the console.",
                    service_id=deployment.service_id,
                )
            body = {
                "model": deployment.model,
                "messages": [{"role": "user", "content": prompt}],
                "max_tokens": 1,
                "stream": False,
            }
            headers = {"apiKey": deployment.api_key, "Content-Type": "application/json"}
            answer = self._send("POST", url + "/v1/chat/completions", subject=Subject.deployment(deployment.service_id),
                                headers=headers, json=body)
            if 300 <= answer.status < 400:
                raise redirect_error(answer, Subject.deployment(deployment.service_id),
                                     "The apiKey is never sent on; check the deployment's serviceUrl.", probe=True)
            content = completion_text(parse_json(answer.body)[0]) if answer.status == 200 else None
            if content is None:
                raise AlayaProbeError(
                    f"Smoke test of {sid} ({deployment.model}) failed: HTTP {answer.status} without a "
                    "well-formed chat completion. Check the deployment is running and its apiKey is current.",
                    service_id=deployment.service_id,
                    http_status=answer.status,
                )
            return self._scrub(content)
        except AlayaError as exc:
            failure = self._scrubbed(exc)
        raise failure

    @staticmethod
    def _service_url(deployment: Deployment) -> str:
        # An unusable serviceUrl is the deployment's problem, found after requests were sent: a probe failure.
        try:
            return validate_base_url(deployment.service_url, what="serviceUrl")
        except AlayaInputError as exc:
            raise AlayaProbeError(f"Smoke test of {describe_service_id(deployment.service_id)} not sent: {exc}",
                                  service_id=deployment.service_id) from None
