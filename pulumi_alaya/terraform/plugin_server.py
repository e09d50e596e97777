"""go-plugin's side of the conversation: the handshake line, mutual TLS, and the gRPC services tofu dials.

tofu starts the provider with ``TF_PLUGIN_MAGIC_COOKIE`` (proof that tofu, not a person, runs it) and, with
AutoMTLS, ``PLUGIN_CLIENT_CERT`` (the certificate it will present). We make a fresh key and self-signed
certificate in memory for each launch (never written anywhere), listen on a Unix socket in a private folder,
and print the one handshake line ``1|6|unix|SOCKET|grpc|CERT`` on stdout, which is reserved for it. The
controller's Shutdown stops the server; the health service answers SERVING.
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent import futures
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import grpc  # type: ignore[import-untyped]

__all__ = ["MAGIC_COOKIE_KEY", "MAGIC_COOKIE_VALUE", "serve", "started_by_tofu"]

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
_CORE_PROTOCOL = 1
_PROTOCOL = 6
_SERVING = b"\x08\x01"  # grpc.health.v1.HealthCheckResponse{status: SERVING}


def _certificate() -> tuple[bytes, bytes, bytes]:
    """(key PEM, certificate PEM, certificate DER) for ``localhost``, as go-plugin makes its own."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_agreement=True,
                                     key_cert_sign=True, content_commitment=False, data_encipherment=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM), \
        certificate.public_bytes(serialization.Encoding.DER)


def _raw(handler: Callable[[bytes, Any], bytes]) -> grpc.RpcMethodHandler:
    import grpc

    return grpc.unary_unary_rpc_method_handler(handler)  # no (de)serializers: bytes in, bytes out


def started_by_tofu() -> bool:
    """Whether tofu (or Terraform) started us; if not, one line on stderr saying what this is."""
    if os.environ.get(MAGIC_COOKIE_KEY) == MAGIC_COOKIE_VALUE:
        return True
    print("terraform-provider-alaya: this is a plugin for OpenTofu/Terraform, not a command: install it with "
          "`tofu init` (see manual/terraform.md).", file=sys.stderr)
    return False


def serve(provider: grpc.GenericRpcHandler, on_stop: Callable[[], None]) -> int:
    """Serve tfplugin6.Provider (``provider``: service.py) until tofu shuts the plugin down."""
    import grpc

    # Ctrl-C reaches every process in the terminal's group; tofu asks its plugins to stop over gRPC
    # (StopProvider), as go-plugin's own servers expect, so the signal itself is not ours to act on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    folder = tempfile.mkdtemp(prefix="tfalaya-", dir=os.environ.get("PLUGIN_UNIX_SOCKET_DIR") or None)
    socket = os.path.join(folder, "provider.sock")
    stopped = threading.Event()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8),
                         options=[("grpc.max_receive_message_length", 256 << 20)])

    def shutdown(request: bytes, context: Any) -> bytes:
        on_stop()
        stopped.set()
        return b""

    server.add_generic_rpc_handlers((
        provider,
        grpc.method_handlers_generic_handler("plugin.GRPCController", {"Shutdown": _raw(shutdown)}),
        grpc.method_handlers_generic_handler("grpc.health.v1.Health",
                                             {"Check": _raw(lambda request, context: _SERVING)}),
    ))
    client_certificate = os.environ.get("PLUGIN_CLIENT_CERT")
    if client_certificate:
        key, certificate, der = _certificate()
        # Client authentication is asked for but not required: gRPC's TLS does not accept the P-521 certificate
        # go-plugin presents (the handshake fails with PEER_DID_NOT_RETURN_A_CERTIFICATE). The socket lives in a
        # folder only this user can enter (mkdtemp: 0700), which is what keeps other users out.
        credentials = grpc.ssl_server_credentials([(key, certificate)], root_certificates=client_certificate.encode(),
                                                  require_client_auth=False)
        server.add_secure_port(f"unix:{socket}", credentials)
        shown = base64.b64encode(der).decode().rstrip("=")  # go-plugin reads it unpadded (RawStdEncoding)
    else:
        server.add_insecure_port(f"unix:{socket}")
        shown = ""
    server.start()
    try:
        print(f"{_CORE_PROTOCOL}|{_PROTOCOL}|unix|{socket}|grpc|{shown}", flush=True)
        stopped.wait()  # until Shutdown (tofu kills a plugin that does not stop in time)
    finally:
        server.stop(grace=2).wait(5)
        shutil.rmtree(folder, ignore_errors=True)
    return 0
