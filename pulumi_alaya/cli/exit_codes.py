"""The exit codes of ``alaya``, each documented once (``DOC``, shown by ``alaya --help``)."""

from __future__ import annotations

from ..client.errors import (
    AlayaAuthError,
    AlayaCreatedNotReadyError,
    AlayaDeploymentFailedError,
    AlayaError,
    AlayaForbiddenError,
    AlayaInputError,
    AlayaNotFoundError,
    AlayaProbeError,
    AlayaWaitTimeoutError,
    AlayaWriteUncertainError,
)

__all__ = ["DOC", "EXIT_API", "EXIT_AUTH", "EXIT_BUG", "EXIT_CREATED_NOT_READY", "EXIT_FAILED", "EXIT_INTERRUPTED",
           "EXIT_NOT_FOUND", "EXIT_OK", "EXIT_SMOKE", "EXIT_USAGE", "EXIT_WAIT_TIMEOUT", "EXIT_WRITE_UNCERTAIN",
           "exit_code_for"]

EXIT_OK, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_AUTH, EXIT_FAILED, EXIT_WAIT_TIMEOUT, EXIT_API, EXIT_SMOKE = (
    0, 2, 3, 4, 5, 6, 7, 8)
EXIT_WRITE_UNCERTAIN, EXIT_CREATED_NOT_READY, EXIT_INTERRUPTED, EXIT_BUG = 9, 10, 130, 1
DOC = """exit codes:
  0    ok
  1    a bug in alaya (one line names the error's type and the command): report it
  2    usage or input error (nothing was sent), or an output file that cannot be written
  3    deployment not found
  4    authentication or permission error
  5    deployment failed or stopped
  6    wait timed out
  7    API, network, redirect, conflict or malformed-response error
  8    smoke test failed
  9    a write's answer was lost after it was sent: check the console before retrying
  10   created, but not running: the deployment exists (its serviceId and what is known are on stdout);
       resume with `alaya KIND get ID --wait`, or clean up with `alaya KIND delete ID`
  130  interrupted (Ctrl-C)
"""
# Most specific first: the first class an error is an instance of decides the exit code.
_EXIT_CODES: list[tuple[type[AlayaError], int]] = [
    (AlayaInputError, EXIT_USAGE),
    (AlayaCreatedNotReadyError, EXIT_CREATED_NOT_READY),
    (AlayaNotFoundError, EXIT_NOT_FOUND),
    (AlayaAuthError, EXIT_AUTH),
    (AlayaForbiddenError, EXIT_AUTH),
    (AlayaDeploymentFailedError, EXIT_FAILED),
    (AlayaWaitTimeoutError, EXIT_WAIT_TIMEOUT),
    (AlayaProbeError, EXIT_SMOKE),
    (AlayaWriteUncertainError, EXIT_WRITE_UNCERTAIN),
]


def exit_code_for(error: AlayaError) -> int:
    return next((code for cls, code in _EXIT_CODES if isinstance(error, cls)), EXIT_API)
