"""The few Kubernetes API calls the controller makes itself (kopf does the watching): its custom resources'
metadata and status, their Secrets, the Lease and Events. Over ``requests`` (the client's own dependency) with
the connection kopf resolves (KUBECONFIG or the in-cluster service account); every call bounded in time.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import kopf
import requests
import urllib3

__all__ = ["Conflict", "Kube", "KubeError", "connect"]

TIMEOUT = (5.0, 30.0)  # connect, read: seconds
MERGE = "application/merge-patch+json"


class KubeError(Exception):
    """A Kubernetes API call failed: the message names the verb, the path and the API's reason (never a body)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Conflict(KubeError):
    """409: the object changed since it was read (a stale resourceVersion) or already exists."""


def _file(folder: Path, name: str, data: str | bytes) -> str:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    path.chmod(0o600)
    return str(path)


def connect() -> Kube:
    """The API server and credentials: in-cluster when the service account is mounted, else KUBECONFIG."""
    settings = kopf.OperatorSettings()
    info = kopf.login_with_service_account(settings=settings) or kopf.login_with_kubeconfig(settings=settings)
    if info is None:
        raise KubeError("no Kubernetes credentials: set KUBECONFIG or run in a pod with a service account")
    return Kube(info)


class Kube:
    def __init__(self, info: kopf.ConnectionInfo) -> None:
        self.info = info  # kopf logs in with the same (command.py's login handler)
        self.server = info.server.rstrip("/")
        self.session = requests.Session()
        self.session.trust_env = False  # never through a proxy from the environment: the API server only
        folder = Path(tempfile.mkdtemp(prefix="alaya-controller-"))  # PEM data as files for requests, 0600
        verify: bool | str = not info.insecure
        if info.insecure:  # the kubeconfig's own choice (insecure-skip-tls-verify): said once, not per request
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        if info.ca_path:
            verify = os.fsdecode(info.ca_path)
        elif info.ca_data:
            verify = _file(folder, "ca.pem", info.ca_data)
        self.session.verify = verify
        cert = info.certificate_path or (info.certificate_data and _file(folder, "cert.pem", info.certificate_data))
        key = info.private_key_path or (info.private_key_data and _file(folder, "key.pem", info.private_key_data))
        if cert and key:
            self.session.cert = (os.fsdecode(cert), os.fsdecode(key))
        if info.token:
            self.session.headers["Authorization"] = f"{info.scheme or 'Bearer'} {info.token}"
        elif info.username and info.password:
            self.session.auth = (info.username, info.password)

    def request(self, method: str, path: str, body: Any = None, content_type: str = "application/json",
                missing_ok: bool = False) -> dict[str, Any] | None:
        """One call; the decoded answer, or None for a 404 when ``missing_ok``."""
        try:
            answer = self.session.request(method, self.server + path, timeout=TIMEOUT,
                                          data=None if body is None else json.dumps(body),
                                          headers={"Content-Type": content_type})
        except requests.RequestException as error:
            raise KubeError(f"{method} {path}: {type(error).__name__}") from None
        if answer.status_code == 404 and missing_ok:
            return None
        if answer.status_code >= 400:
            try:
                reason = str(answer.json().get("reason") or answer.status_code)
            except ValueError:
                reason = str(answer.status_code)
            error_type = Conflict if answer.status_code == 409 else KubeError
            raise error_type(f"{method} {path}: {answer.status_code} {reason}", answer.status_code)
        return dict(answer.json()) if answer.content else {}

    # -- the controller's custom resources -------------------------------------------------------------------

    def patch_object(self, path: str, patch: dict[str, Any]) -> dict[str, Any]:
        """A merge patch; one carrying ``metadata.resourceVersion`` fails with ``Conflict`` when stale."""
        return self.request("PATCH", path, patch, MERGE) or {}

    def patch_status(self, path: str, status: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", path + "/status", {"status": status}, MERGE) or {}

    def get(self, path: str) -> dict[str, Any] | None:
        return self.request("GET", path, missing_ok=True)

    # -- Secrets ----------------------------------------------------------------------------------------------

    def secret(self, namespace: str, name: str) -> dict[str, Any] | None:
        return self.get(f"/api/v1/namespaces/{namespace}/secrets/{name}")

    def put_secret(self, namespace: str, secret: dict[str, Any], existing: dict[str, Any] | None) -> None:
        """Create ``secret``, or replace ``existing`` (its resourceVersion: a concurrent change is a Conflict)."""
        path = f"/api/v1/namespaces/{namespace}/secrets"
        if existing is None:
            self.request("POST", path, secret)
        else:
            secret["metadata"]["resourceVersion"] = existing["metadata"]["resourceVersion"]
            self.request("PUT", f"{path}/{secret['metadata']['name']}", secret)
