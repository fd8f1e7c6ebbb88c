"""Every Prometheus rule file is valid, every promtool unit test passes, and every Grafana panel query parses.

Needs `promtool` (Debian: `apt-get install prometheus`). Rules and their tests live in deploy/prometheus, dashboards in
deploy/grafana/dashboards; new files there are picked up without editing this test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RULES = sorted((ROOT / "deploy/prometheus/rules").glob("*.yml"))
RULE_TESTS = sorted((ROOT / "deploy/prometheus/tests").glob("*_test.yml"))
DASHBOARDS = sorted((ROOT / "deploy/grafana/dashboards").glob("*.json"))
# Grafana's built-in interval variables -> a duration; any other `$variable` -> a regex matching everything
GRAFANA_INTERVALS = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: install it with `apt-get install prometheus` (Debian package), then rerun")
    return path


def run_promtool(*args: str) -> None:
    result = subprocess.run([promtool(), *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"promtool {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")


def relative(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def test_every_rule_file_has_a_unit_test() -> None:
    tested = {Path(f).name for t in RULE_TESTS for f in yaml.safe_load(t.read_text())["rule_files"]}
    assert RULES, "no rule files found under deploy/prometheus/rules"
    assert not {r.name for r in RULES} - tested, "rule files without a promtool test in deploy/prometheus/tests"


def test_rule_files_are_valid() -> None:
    run_promtool("check", "rules", *relative(RULES))


def test_rule_unit_tests_pass() -> None:
    run_promtool("test", "rules", *relative(RULE_TESTS))


def panel_queries(panels: list[dict]) -> Iterator[tuple[str, str]]:
    for panel in panels:
        yield from panel_queries(panel.get("panels", []))  # rows may nest their panels
        for target in panel.get("targets", []):
            if target.get("expr"):
                yield f"{panel.get('title')} / {target.get('refId')}", target["expr"]


def as_plain_promql(expr: str) -> str:
    for variable, duration in GRAFANA_INTERVALS.items():
        expr = expr.replace(variable, duration)
    return re.sub(r"\$\{?\w+\}?", ".*", expr)


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_queries_parse(dashboard: Path, tmp_path: Path) -> None:
    board = json.loads(dashboard.read_text())  # fails on malformed JSON
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            assert target.get("datasource", panel.get("datasource", {})).get("uid") == "prometheus", (
                f"{dashboard.name}: panel {panel.get('title')!r}"
                " does not use the provisioned datasource uid `prometheus`"
            )
    queries = list(panel_queries(board["panels"]))
    assert queries, f"{dashboard.name} has no PromQL queries"
    # promtool parses every expression of a rule file: one recording rule per panel query
    rules = [{"record": f"dashboard:query_{i}", "expr": as_plain_promql(expr)} for i, (_, expr) in enumerate(queries)]
    rule_file = tmp_path / f"{dashboard.stem}.yml"
    rule_file.write_text(yaml.safe_dump({"groups": [{"name": dashboard.stem, "rules": rules}]}))
    result = subprocess.run(
        [promtool(), "check", "rules", str(rule_file)], check=False, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        where = "\n".join(f"dashboard:query_{i} = {title}: {expr}" for i, (title, expr) in enumerate(queries))
        pytest.fail(f"{dashboard.name}: a panel query does not parse:\n{result.stdout}\n{result.stderr}\n{where}")
