"""A local emulator of the Alaya serverless-infer API: ``alaya emulator`` or ``python -m pulumi_alaya.emulator``."""

from .harness import Emulator, start_emulator

__all__ = ["Emulator", "start_emulator", "serve"]


def serve(host: str = "127.0.0.1", port: int = 8780, state: str | None = None, *, rate_limit: float = 0.0,
          burst: float | None = None) -> None:
    """Run the emulator in the foreground until interrupted; prints where it listens (first stdout line)."""
    # Absolute: pyright reads a relative "from .state import" in a package __init__ as rebinding the parameter.
    from pulumi_alaya.emulator.server import EmulatorServer
    from pulumi_alaya.emulator.state import load_seed

    server = EmulatorServer(host, port, load_seed(state), state_file=state, rate_limit=rate_limit, burst=burst)
    print(f"alaya emulator listening on {server.url}", flush=True)
    print(f"export ALAYA_BASE_URL={server.url}  # demo keys: see README (Emulator)", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
