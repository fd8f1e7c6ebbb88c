"""The documentation stands on its own: every relative link resolves to a file of this repository.

A reader has the repository and nothing beside it, so a link that leaves it (or names a file that moved) is a
broken promise. Links to web sites are not checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted({ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("*/README.md")})
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(document: Path) -> list[str]:
    return [target for target in LINK.findall(document.read_text(encoding="utf-8")) if "://" not in target]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    broken = []
    for target in relative_links(document):
        path = (document.parent / target.split("#", 1)[0]).resolve()
        if not path.is_relative_to(ROOT) or not path.exists():
            broken.append(target)
    assert not broken, f"{document.relative_to(ROOT)} links outside the repository or to nothing: {broken}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_document_sends_the_reader_outside_the_repository(document: Path) -> None:
    assert "../shared" not in document.read_text(encoding="utf-8")


def test_the_business_rules_page_keeps_every_rule_id() -> None:
    text = (ROOT / "docs" / "business-rules.md").read_text(encoding="utf-8")
    ids = [int(number) for number in re.findall(r"^\*\*R-(\d\d) ", text, flags=re.M)]
    assert ids == [*range(1, 36), *range(40, 44), *range(50, 53)]
