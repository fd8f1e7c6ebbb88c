"""`crm up`: migrate, then run every service as a child process until Ctrl-C, then stop them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from crm_cli.services import known
from servicekit.settings import service_settings

STOP_GRACE_SECONDS = 20


def _pipe_output(name: str, stream: object) -> None:
    # each line as the child wrote it (JSON), prefixed so an operator sees who said it
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        sys.stdout.write(f"{name:<10} | {line}")
        sys.stdout.flush()


def run_services(names: list[str] | None) -> int:
    names = known(names)
    children: dict[str, subprocess.Popen[str]] = {}
    for name in names:
        settings = service_settings(name)
        children[name] = subprocess.Popen(
            [sys.executable, "-m", "crm_cli.main", "serve", name],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
        )
        threading.Thread(target=_pipe_output, args=(name, children[name].stdout), daemon=True).start()
        print(f"crm: {name} on http://{settings.host}:{settings.port}", flush=True)

    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    exit_code = 0
    while not stopping.is_set():
        for name, child in children.items():
            if child.poll() is not None:
                print(f"crm: {name} exited with code {child.returncode}; stopping the others", flush=True)
                exit_code = 1
                stopping.set()
        stopping.wait(0.5)
    _stop_all(children)
    return exit_code


def _stop_all(children: dict[str, subprocess.Popen[str]]) -> None:
    print("crm: stopping services", flush=True)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"crm: {name} did not stop in {STOP_GRACE_SECONDS}s, killing it", flush=True)
            child.kill()
            child.wait()
    print("crm: all services stopped", flush=True)
