"""Structured logs: one JSON object per line with the correlation id."""

from __future__ import annotations

import json
import logging

from servicekit.logs import JsonFormatter, correlation_id


def test_log_line_is_json_with_correlation_id_and_extra_fields() -> None:
    token = correlation_id.set("cid-1")
    try:
        record = logging.LogRecord("svc", logging.WARNING, __file__, 1, "event failed %s", ("once",), None)
        record.event_id = "e-1"
        line = json.loads(JsonFormatter("customer").format(record))
    finally:
        correlation_id.reset(token)
    assert line["msg"] == "event failed once"
    assert line["correlation_id"] == "cid-1"
    assert line["service"] == "customer"
    assert line["level"] == "warning"
    assert line["event_id"] == "e-1"
