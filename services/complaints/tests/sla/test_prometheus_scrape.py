"""End to end: a real Prometheus scrapes the running complaints service and records an SLA breach.

Starts `crm serve complaints` as a process (own database, the test RabbitMQ vhost) and the Debian
`prometheus` binary with deploy/prometheus/rules/sla.yml, opens complaints that are already past their
first-response deadline, and reads `crm:sla_targets_breached:ratio_rate5m` back from Prometheus.
Needs `prometheus` on PATH (Debian: `apt-get install prometheus`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import httpx
import pytest

from servicekit.testing import bearer, create_database, free_port, migrate

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[4]
SLA_RULES = ROOT / "deploy" / "prometheus" / "rules" / "sla.yml"
HANDLER = bearer("alice", "complaint_handler")
DEADLINE_SECONDS = 90.0  # generous: a poll gives up after this, the test never asserts on elapsed time
BREACHED = 'crm_sla_targets_total{target="first_response", outcome="breached"}'
Running = tuple[str, subprocess.Popen[bytes], TextIO]  # base URL, process, its log


def tail(log: TextIO, lines: int = 60) -> str:
    log.flush()
    with open(log.name, encoding="utf-8", errors="replace") as f:
        return "".join(f.readlines()[-lines:])


def poll(check: Callable[[], Any], what: str, *processes: tuple[str, subprocess.Popen[bytes], TextIO]) -> Any:
    """Call `check` until it returns something truthy; fail with the processes' logs otherwise."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    last: Any = None
    while time.monotonic() < deadline:
        for name, process, log in processes:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode} while waiting for {what}:\n{tail(log)}")
        try:
            last = check()
        except httpx.HTTPError as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(0.25)
    logs = "\n".join(f"--- {name} ---\n{tail(log)}" for name, _, log in processes)
    pytest.fail(f"gave up waiting for {what}; last answer: {last!r}\n{logs}")


def stop(process: subprocess.Popen[bytes], sig: int) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def complaints(tmp_path: Path) -> Iterator[Running]:
    """`crm serve complaints` on a free port, with a database of its own and a fast SLA evaluator."""
    database_url = create_database("crm_test_complaints_scrape")
    migrate("complaints", database_url)
    port = free_port()
    env = {
        **os.environ,
        "CRM_COMPLAINTS_DATABASE_URL": database_url,
        "CRM_COMPLAINTS_PORT": str(port),
        "CRM_COMPLAINTS_EVALUATOR_INTERVAL_SECONDS": "0.5",
    }
    log = open(tmp_path / "complaints.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "crm_cli.main", "serve", "complaints"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        poll(
            lambda: httpx.get(f"{url}/readyz", timeout=2).status_code == 200,
            "complaints /readyz",
            ("complaints", process, log),
        )
        yield url, process, log
    finally:
        stop(process, signal.SIGINT)
        log.close()


@pytest.fixture
def prometheus(tmp_path: Path, complaints: Running) -> Iterator[Running]:
    """The Debian prometheus binary: scrapes complaints every second and evaluates sla.yml every second."""
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus not found: install it with `apt-get install prometheus` (Debian package), then rerun")
    target = complaints[0].removeprefix("http://")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global:\n"
        "  scrape_interval: 1s\n"
        "  scrape_timeout: 1s\n"
        "  evaluation_interval: 1s\n"
        "rule_files:\n"
        f"  - {str(SLA_RULES)!r}\n"
        "scrape_configs:\n"
        "  - job_name: complaints\n"
        "    static_configs:\n"
        f"      - targets: [{target!r}]\n",
        encoding="utf-8",
    )
    port = free_port()
    log = open(tmp_path / "prometheus.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        poll(
            lambda: httpx.get(f"{url}/-/ready", timeout=2).status_code == 200,
            "prometheus /-/ready",
            ("prometheus", process, log),
        )
        yield url, process, log
    finally:
        stop(process, signal.SIGTERM)
        log.close()


def query(prometheus_url: str, expr: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{prometheus_url}/api/v1/query", params={"query": expr}, timeout=5)
    response.raise_for_status()
    body = response.json()
    assert body["status"] == "success", body
    return body["data"]["result"]


def value(prometheus_url: str, expr: str) -> float | None:
    """The value of a one-series query, None while it has no result."""
    result = query(prometheus_url, expr)
    assert len(result) <= 1, result
    return float(result[0]["value"][1]) if result else None


def open_overdue_complaint(url: str) -> None:
    """A complaint received 2 hours ago: its 1-hour first-response target is breached at once."""
    response = httpx.post(
        f"{url}/cases",
        json={
            "kind": "complaint",
            "customer_id": str(uuid.uuid4()),
            "channel": "hotline",
            "content": "发货数量与订单不符 (scrape test)",
            "received_at": (datetime.now(UTC) - timedelta(hours=2)).isoformat(),
        },
        headers=HANDLER,
        timeout=10,
    )
    assert response.status_code == 201, response.text


def test_prometheus_records_the_breach_ratio_of_first_responses(complaints: Running, prometheus: Running) -> None:
    complaints_url, complaints_process, complaints_log = complaints
    prometheus_url, prometheus_process, prometheus_log = prometheus
    procs = (("complaints", complaints_process, complaints_log), ("prometheus", prometheus_process, prometheus_log))

    # Prometheus scrapes the service and has loaded the SLA rules
    poll(lambda: value(prometheus_url, 'up{job="complaints"}') == 1, "a successful scrape of complaints", *procs)
    assert query(prometheus_url, 'crm_http_requests_total{job="complaints"}'), "no service metrics scraped"
    rules = httpx.get(f"{prometheus_url}/api/v1/rules", params={"type": "record"}, timeout=5).json()
    recorded = {rule["name"] for group in rules["data"]["groups"] for rule in group["rules"]}
    assert "crm:sla_targets_breached:ratio_rate5m" in recorded, recorded

    # the service exports every counter series at 0 from the start, so one breach is an increase
    open_overdue_complaint(complaints_url)

    result = poll(
        lambda: query(prometheus_url, 'crm:sla_targets_breached:ratio_rate5m{target="first_response"}'),
        "crm:sla_targets_breached:ratio_rate5m after the breach",
        *procs,
    )
    assert [(r["metric"], float(r["value"][1])) for r in result] == [
        ({"__name__": "crm:sla_targets_breached:ratio_rate5m", "target": "first_response"}, 1.0)
    ]  # every first-response target that ended in the window was breached, none met
    assert value(prometheus_url, 'crm:sla_targets_met:ratio_rate5m{target="first_response"}') == 0.0
    assert value(prometheus_url, f"sum({BREACHED})") == 1
