"""End to end: `crm up` starts the services as processes; a customer created over HTTP gets its follow-up,
and a complaint about it ends as an email in the local mail catcher (docs/architecture.md, Tests).

Runs on the SQLite default and on PostgreSQL, against the real RabbitMQ (test vhost).
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from servicekit.settings import SERVICES
from servicekit.testing import bearer, create_database, free_ports

pytestmark = pytest.mark.e2e

CRM = [sys.executable, "-m", "crm_cli.main"]
AGENT = bearer("alice", "agent", team="east")


def system_env(tmp_path: Path, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DATABASE_URL")}
    env["CRM_VAR_DIR"] = str(tmp_path / "var")
    # `crm up` points the services at the gateway's keys (the test plugin's CRM_JWKS_URL is empty)
    env.pop("CRM_JWKS_URL", None)
    # the notifier sends through `crm up`'s mail catcher, whatever the hour (no quiet hours in this test)
    env.pop("CRM_NOTIFIER_SMTP_HOST", None)
    smtp_port, *service_ports = free_ports(len(SERVICES) + 1)
    env["CRM_NOTIFIER_SMTP_PORT"] = str(smtp_port)
    env["CRM_NOTIFIER_DISPATCHER_ENABLED"] = "true"
    env["CRM_NOTIFIER_QUIET_START"] = env["CRM_NOTIFIER_QUIET_END"] = "00:00"
    for service, port in zip(SERVICES, service_ports, strict=True):
        env[f"CRM_{service.upper()}_PORT"] = str(port)
        if database == "postgres":
            env[f"CRM_{service.upper()}_DATABASE_URL"] = create_database(f"crm_test_e2e_{service}")
    return env


@pytest.fixture(params=["sqlite", "postgres"])
def system(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], subprocess.Popen[str]]]:
    env = system_env(tmp_path, request.param)
    log = open(tmp_path / "crm-up.log", "w+")  # noqa: SIM115
    process = subprocess.Popen([*CRM, "up"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        for service in SERVICES:
            wait_ready(f"http://127.0.0.1:{env[f'CRM_{service.upper()}_PORT']}/readyz", process, log)
        yield env, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        log.seek(0)
        process.output = log.read()  # type: ignore[attr-defined]
        log.close()


def wait_ready(url: str, process: subprocess.Popen[str], log: object) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            pytest.fail(f"crm up exited early:\n{log.read()}")  # type: ignore[attr-defined]
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} never became ready")


def test_customer_created_over_http_gets_its_onboarding_follow_up(system) -> None:
    env, process = system
    customer_url = f"http://127.0.0.1:{env['CRM_CUSTOMER_PORT']}"
    engagement_url = f"http://127.0.0.1:{env['CRM_ENGAGEMENT_PORT']}"

    created = httpx.post(
        f"{customer_url}/customers", json={"name": "深圳端到端有限公司", "team": "east"}, headers=AGENT
    )
    assert created.status_code == 201
    customer_id = created.json()["id"]

    items: list = []
    deadline = time.monotonic() + 30
    while not items and time.monotonic() < deadline:
        followups = httpx.get(f"{engagement_url}/followups", params={"customer_id": customer_id}, headers=AGENT)
        items = followups.json()["items"]
        time.sleep(0.1)
    assert [(i["kind"], i["rule"]) for i in items] == [("onboarding_call", "R-11")]

    for service in SERVICES:
        port = env[f"CRM_{service.upper()}_PORT"]
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json() == {"status": "ok", "service": service}
        assert "crm_http_requests_total" in httpx.get(f"http://127.0.0.1:{port}/metrics").text

    seeded = subprocess.run([*CRM, "seed-demo"], env=env, capture_output=True, text=True, timeout=60)
    assert seeded.returncode == 0, seeded.stderr
    assert "KH-" in seeded.stdout

    dlq = subprocess.run(
        [*CRM, "dlq", "list", "--service", "engagement"], env=env, capture_output=True, text=True, timeout=60
    )
    assert dlq.returncode == 0, dlq.stderr
    assert "0 dead letter(s)" in dlq.stdout

    # Ctrl-C stops every service cleanly
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0


def test_a_need_heard_in_a_contact_reaches_the_customer_as_a_pending_change(system) -> None:
    """R-14 -> R-05 across services: a communication record's core-need change waits in the customer service for a
    second confirmation, and the contact becomes the customer's last contact (R-16)."""
    env, _ = system
    customer_url = f"http://127.0.0.1:{env['CRM_CUSTOMER_PORT']}"
    engagement_url = f"http://127.0.0.1:{env['CRM_ENGAGEMENT_PORT']}"
    created = httpx.post(
        f"{customer_url}/customers", json={"name": "苏州需求变更有限公司", "team": "east"}, headers=AGENT
    )
    customer_id = created.json()["id"]
    record = {
        "customer_id": customer_id,
        "happened_at": "2026-03-02T08:00:00Z",
        "channel": "video",
        "subject": "需求变更",
        "summary": "客户希望增加数据导出",
        "need_changes": [{"kind": "key_needs", "value": "定制化数据分析与数据导出"}],
    }
    deadline = time.monotonic() + 30
    posted = httpx.post(f"{engagement_url}/communications", json=record, headers=AGENT)
    while posted.status_code == 404 and time.monotonic() < deadline:  # engagement learns of the customer by event
        time.sleep(0.1)
        posted = httpx.post(f"{engagement_url}/communications", json=record, headers=AGENT)
    assert posted.status_code == 201, posted.text

    pending: list = []
    while not pending and time.monotonic() < deadline:
        url = f"{customer_url}/pending-changes?status=pending&customer_id={customer_id}"
        pending = httpx.get(url, headers=bearer("meg", "manager")).json()["items"]
        time.sleep(0.1)
    assert [(p["field"], p["new_value"], p["requested_by"]) for p in pending] == [
        ("key_needs", "定制化数据分析与数据导出", "alice")
    ]
    found: list = []
    while not found and time.monotonic() < deadline:
        params = {"last_contact_after": "2026-03-01T00:00:00Z"}
        items = httpx.get(f"{customer_url}/customers", params=params, headers=AGENT).json()["items"]
        found = [c for c in items if c["id"] == customer_id]
        time.sleep(0.1)
    assert found


def test_the_first_admin_logs_in_at_the_gateway_and_reaches_a_service_through_it(system) -> None:
    env, process = system
    gateway = f"http://127.0.0.1:{env['CRM_GATEWAY_PORT']}"
    log = Path(env["CRM_VAR_DIR"]).parent / "crm-up.log"
    hint = next(line for line in log.read_text().splitlines() if "log in as admin with password" in line)
    password = hint.split("with password ", 1)[1].split()[0]
    logged_in = httpx.post(f"{gateway}/auth/login", json={"login": "admin", "password": password})
    assert logged_in.status_code == 200, logged_in.text
    token = {"Authorization": f"Bearer {logged_in.json()['access_token']}"}
    created = httpx.post(f"{gateway}/api/customer/customers", json={"name": "网关端到端有限公司"}, headers=token)
    assert created.status_code == 201, created.text
    # the customer service itself, called directly, accepts the gateway's token (its key from the JWKS)
    direct = httpx.get(f"http://127.0.0.1:{env['CRM_CUSTOMER_PORT']}/customers/{created.json()['id']}", headers=token)
    assert direct.status_code == 200
    ready = httpx.get(f"{gateway}/readyz").json()
    assert ready["ready"] and set(ready["checks"]["upstreams"].values()) == {"ok"}
    assert httpx.get(f"{gateway}/api/openapi.json").json()["paths"]


def complaint_of_a_new_customer(
    url: dict[str, str], handler: dict[str, str], company: str, name: str, address: str
) -> tuple[str, httpx.Response]:
    """A zh-CN customer with one primary email contact, created over HTTP, and a hotline complaint about it."""
    contact = {"name": name, "emails": [address], "primary": True}
    created = httpx.post(
        f"{url['customer']}/customers",
        json={"name": company, "team": "east", "language": "zh-CN", "contacts": [contact]},
        headers=AGENT,
    )
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    case = httpx.post(
        f"{url['complaints']}/cases",
        json={"kind": "complaint", "customer_id": customer_id, "channel": "hotline", "content": "包装破损"},
        headers=handler,
    )
    assert case.status_code == 201, case.text
    return customer_id, case


def test_a_complaint_ends_as_an_acknowledgement_email_to_the_customer(system) -> None:
    env, _ = system
    url = {service: f"http://127.0.0.1:{env[f'CRM_{service.upper()}_PORT']}" for service in SERVICES}
    handler = bearer("hana", "complaint_handler", team="east")
    # customer.contacts_changed.v1 gives the notifier its recipient; then the case's events trigger the message
    customer_id, case = complaint_of_a_new_customer(
        url, handler, "杭州投诉测试有限公司", "王芳", "wang.fang@example.cn"
    )
    number = case.json()["number"]
    assert (
        httpx.post(f"{url['complaints']}/cases/{case.json()['id']}/acknowledge", json={}, headers=handler).status_code
        == 200
    )

    mail_dir = Path(env["CRM_VAR_DIR"]) / "mail"
    messages: list = []
    deadline = time.monotonic() + 60
    while not messages and time.monotonic() < deadline:
        messages = [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in mail_dir.glob("*.eml")
        ]
        time.sleep(0.2)
    [message] = messages
    assert message["To"] == "wang.fang@example.cn"
    assert number in message["Subject"] and "受理" in message["Subject"]  # the Chinese template, by language

    history = httpx.get(
        f"{url['notifier']}/messages", params={"customer_id": customer_id}, headers=bearer("meg", "manager")
    )
    assert history.status_code == 200, history.text
    outcomes = {(item["channel"], item["status"]) for item in history.json()["items"]}
    assert ("email", "sent") in outcomes


def wait_for_mail(mail_dir: Path, subject: str, seconds: float = 90) -> list[email.message.EmailMessage]:
    deadline = time.monotonic() + seconds
    while True:
        found = [
            message
            for path in mail_dir.glob("*.eml")
            if subject
            in (message := email.message_from_bytes(path.read_bytes(), policy=email.policy.default))["Subject"]
        ]
        if found or time.monotonic() > deadline:
            return found  # type: ignore[return-value]
        time.sleep(0.2)


def test_a_closed_complaint_ends_as_one_survey_email_whose_link_records_only_on_post(system) -> None:
    """R-33: case closed -> one invitation email (notifier) -> GET shows the form and records nothing -> POST
    records -> a second POST changes the answer (still one response)."""
    env, _ = system
    url = {service: f"http://127.0.0.1:{env[f'CRM_{service.upper()}_PORT']}" for service in SERVICES}
    handler = bearer("hana", "complaint_handler", team="east")
    _, case = complaint_of_a_new_customer(url, handler, "苏州评价测试有限公司", "李雷", "li.lei@example.cn")
    for action in ("acknowledge", "investigate", "propose-resolution", "accept", "close"):
        done = httpx.post(f"{url['complaints']}/cases/{case.json()['id']}/{action}", json={}, headers=handler)
        assert done.status_code == 200, done.text

    mail_dir = Path(env["CRM_VAR_DIR"]) / "mail"
    [invitation] = wait_for_mail(mail_dir, "请评价我们的服务")  # the Chinese template, by the customer's language
    assert invitation["To"] == "li.lei@example.cn"
    body = invitation.get_body(preferencelist=("plain",)).get_content()
    [link] = re.findall(r"http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_.\-]+", body)
    assert link.startswith(url["surveys"])

    form = httpx.get(link)
    assert form.status_code == 200 and 'name="attitude"' in form.text
    assert "您已提交过" not in httpx.get(link).text  # GET recorded nothing
    answers = {"attitude": "poor", "skill": "satisfied", "response_time": "satisfied", "promises": "satisfied"}
    assert httpx.post(link, data=answers).status_code == 200
    assert "您已提交过" in httpx.get(link).text
    assert httpx.post(link, data={**answers, "attitude": "satisfied"}).status_code == 200
    card = httpx.get(
        f"{url['surveys']}/results/staff",
        params={"month": time.strftime("%Y-%m", time.gmtime())},
        headers=bearer("vp", "vice_president"),
    ).json()
    attitude = [r for r in card["rows"] if r["item"] == "attitude"]
    assert sum(r["answers"] for r in attitude) == 1 and attitude[0]["levels"] == {"satisfied": 1}  # changed, not added
    time.sleep(2)
    assert len(wait_for_mail(mail_dir, "请评价我们的服务", seconds=0)) == 1  # one invitation


def test_an_administrator_keeps_the_business_calendar_current_with_crm_calendar(system, tmp_path: Path) -> None:
    env, _ = system

    def crm(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CRM, "calendar", *args], env=env, capture_output=True, text=True, timeout=60)

    years = crm("years")
    assert years.returncode == 0, years.stderr
    assert "2026  library" in years.stdout and "2027" not in years.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,again\n", encoding="utf-8")
    refused = crm("import", str(bad))
    assert refused.returncode == 1 and "line 3.date" in refused.stderr and "twice" in refused.stderr
    example = Path(__file__).parents[1] / "docs" / "examples" / "calendar-2027.example.yaml"
    imported = crm("import", str(example), "--note", "example")
    assert imported.returncode == 0, imported.stderr
    assert "imported 35 day(s) for 2027" in imported.stdout
    shown = crm("show", "2027")
    assert (
        shown.returncode == 0 and "source company" in shown.stdout and "2027-02-10 wed  off      春节" in shown.stdout
    )
    assert "2027  company" in crm("years").stdout
    assert crm("set-day", "2027-06-01", "--holiday", "--name", "company outing").returncode == 0
    assert "2027-06-01  holiday  company outing" in crm("entries", "--year", "2027").stdout


def test_crm_up_without_a_broker_says_how_to_get_one(tmp_path: Path) -> None:
    env = {**system_env(tmp_path, "sqlite"), "CRM_BROKER_URL": "amqp://guest:guest@127.0.0.1:1/"}
    result = subprocess.run([*CRM, "up"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    message = result.stderr.strip()
    assert message.count("\n") == 0
    assert "rabbitmq-server" in message
    assert "docker compose" in message


def test_crm_token_prints_a_token_the_services_accept() -> None:
    from servicekit.auth import verify_token

    result = subprocess.run(
        [*CRM, "token", "--sub", "ops", "--role", "manager"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert verify_token(result.stdout.strip()).subject == "ops"
    refused = subprocess.run(
        [*CRM, "token", "--sub", "ops", "--role", "emperor"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
