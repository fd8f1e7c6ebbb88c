"""R-01 phones and emails are normalised. Pure."""

import pytest

from customer.contacts.rules import normalise_email, normalise_phone


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("138 1234 5678", "CN", "+8613812345678"),
        ("+86 (10) 6552-9988", "CN", "+861065529988"),
        ("0086 138-1234-5678", "CN", "+8613812345678"),
        ("030 901820", "DE", "+4930901820"),
    ],
)
def test_phones_normalise_to_e164(raw: str, region: str, e164: str) -> None:
    assert normalise_phone(raw, region) == e164


@pytest.mark.parametrize("raw", ["12345", "not a phone", "+86 138"])
def test_invalid_phones_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalise_phone(raw, "CN")


def test_emails_are_checked_and_lower_cased() -> None:
    assert normalise_email(" Zhang.San@Example.COM ") == "zhang.san@example.com"
    assert normalise_email("王@例子.中国").endswith("@例子.中国")
    for bad in ("no-at-sign", "a@", "a b@example.com"):
        with pytest.raises(ValueError):
            normalise_email(bad)
