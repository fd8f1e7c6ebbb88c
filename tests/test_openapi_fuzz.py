"""Bad input is a 4xx, always: Schemathesis with every check over each service's own OpenAPI document.

Each service runs as a process (`crm serve`) on a fresh PostgreSQL database and the run's broker, with an admin
token; Schemathesis generates valid and invalid requests from the OpenAPI document (examples, coverage, fuzzing
and stateful phases) and checks every answer: no 5xx, every status and content type documented, responses
that match their schema, invalid input refused, valid input accepted (a 422 for a rule the schema cannot say is
accepted: schemathesis.toml). The number of examples per operation is bounded so `make test` stays quick;
CRM_FUZZ_EXAMPLES and CRM_FUZZ_SEED change it (a new seed explores new inputs).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from servicekit.settings import SERVICES
from servicekit.testing import create_database, free_port, migrate

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
EXAMPLES = os.environ.get("CRM_FUZZ_EXAMPLES", "5")
SEED = os.environ.get("CRM_FUZZ_SEED", "20261130")


def serve(service: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    database = create_database(f"crm_test_fuzz_{service}")
    migrate(service, database)
    port = free_port()
    env = os.environ | {
        f"CRM_{service.upper()}_DATABASE_URL": database,
        f"CRM_{service.upper()}_PORT": str(port),
        "CRM_VAR_DIR": str(tmp_path / "var"),
        "CRM_NOTIFIER_DISPATCHER_ENABLED": "false",  # nothing is sent; the API is under test
    }
    log = (tmp_path / f"{service}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "crm_cli.main", "serve", service], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process, port
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{service} did not start:\n{(tmp_path / f'{service}.log').read_text()[-3000:]}")


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_bad_input_with_a_documented_4xx(service: str, tmp_path: Path) -> None:
    from servicekit.auth import mint_token

    process, port = serve(service, tmp_path)
    token = mint_token("fuzzer", ["admin"], team="east")
    try:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(ROOT / "schemathesis.toml"),
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks",
                "all",
                "--header",
                f"Authorization: Bearer {token}",
                "--max-examples",
                EXAMPLES,
                "--seed",
                SEED,
                "--workers",
                "1",
                # a loaded CI machine is slow, not wrong: the time limit of the response-time check is generous
                "--max-response-time",
                "60",
                "--request-timeout",
                "120",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            cwd=tmp_path,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = run.stdout + run.stderr
    summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output[-4000:]
    tested = re.search(r"Tested: (\d+)", output)
    generated = re.search(r"(\d+) generated", output)
    print(f"\n{service}: {tested and tested[1]} operations, {generated and generated[1]} examples\n{summary}")
    assert run.returncode == 0, output[-20000:]
