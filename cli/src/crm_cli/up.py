"""`crm up`: migrate, then run every service as a child process until Ctrl-C, then stop them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from crm_cli import mailbox
from crm_cli.services import known
from servicekit.settings import common_settings, service_settings

STOP_GRACE_SECONDS = 20


def _pipe_output(name: str, stream: object) -> None:
    # each line as the child wrote it (JSON), prefixed so an operator sees who said it
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        sys.stdout.write(f"{name:<10} | {line}")
        sys.stdout.flush()


def _start(name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # Ctrl-C reaches us only; we stop the children in order
    )
    threading.Thread(target=_pipe_output, args=(name, child.stdout), daemon=True).start()
    return child


def run_services(names: list[str] | None) -> int:
    names = known(names)
    children: dict[str, subprocess.Popen[str]] = {}
    env = dict(os.environ)
    gateway = service_settings("gateway")
    # the services fetch the gateway's public keys from where this command starts it
    env.setdefault("CRM_JWKS_URL", f"http://{gateway.host}:{gateway.port}/.well-known/jwks.json")
    if "notifier" in names and "CRM_NOTIFIER_SMTP_HOST" not in env:
        # no mail server configured: catch the notifier's email locally instead of letting it wait for one
        env.setdefault("CRM_NOTIFIER_SMTP_PORT", str(mailbox.DEFAULT_PORT))
        directory = common_settings().var_dir / "mail"
        children["mail"] = _start("mail", ["crm_cli.mailbox", env["CRM_NOTIFIER_SMTP_PORT"], str(directory)], env)
    for name in names:
        settings = service_settings(name)
        children[name] = _start(name, ["crm_cli.main", "serve", name], env)
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
