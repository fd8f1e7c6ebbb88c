"""The SLA and dead-letter Prometheus rules are valid, and their promtool unit tests pass.

Needs `promtool` (Debian: `apt-get install prometheus`). The rules and their tests live in deploy/prometheus.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RULES = ["deploy/prometheus/rules/sla.yml", "deploy/prometheus/rules/dead_letters.yml"]
RULE_TESTS = ["deploy/prometheus/tests/sla_test.yml", "deploy/prometheus/tests/dead_letters_test.yml"]


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: install it with `apt-get install prometheus` (Debian package), then rerun")
    return path


def run_promtool(*args: str) -> None:
    result = subprocess.run([promtool(), *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"promtool {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")


def test_rule_files_are_valid() -> None:
    run_promtool("check", "rules", *RULES)


def test_rule_unit_tests_pass() -> None:
    run_promtool("test", "rules", *RULE_TESTS)
