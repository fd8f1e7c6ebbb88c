"""R-01 the search key of customer names. Pure."""

import pytest

from customer.search.rules import search_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("  ＡＢＣ　有限公司 ", "abc 有限公司"),  # full-width letters and space fold to half-width
        ("Hangzhou  WEST Lake", "hangzhou west lake"),
        ("杭州西湖科技有限公司", "杭州西湖科技有限公司"),
        ("", ""),
    ],
)
def test_search_key_folds_width_case_and_spaces(name: str, key: str) -> None:
    assert search_key(name) == key
