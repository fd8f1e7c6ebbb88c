"""The monthly review's CSV is safe to open: names typed by people never run as formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

from complaints.reports.service import COLUMNS, to_csv


def test_csv_cells_that_would_run_as_formulas_are_quoted() -> None:
    row = dict.fromkeys(COLUMNS, 0) | {"department": "=cmd|' /C calc'!A0", "owner": "@alice", "timeliness": 0.5}
    [written] = list(csv.DictReader(io.StringIO(to_csv([row]))))
    assert written["department"] == "'=cmd|' /C calc'!A0"
    assert written["owner"] == "'@alice"
    assert written["timeliness"] == "0.5"
