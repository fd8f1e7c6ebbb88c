"""Contact request and response models. Phones and emails are normalised on the way in (R-01)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator

from customer.change_lag.schemas import LearnedAt
from customer.contacts.rules import normalise_email, normalise_phone
from customer.fields import Label, Strict, Text100
from customer.settings import customer_settings


class _Point(Strict):
    """A phone or email, sent as an object or as a bare string."""

    bare_field: ClassVar[str]
    label: Label | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        return {cls.bare_field: value} if isinstance(value, str) else value


class PhoneIn(_Point):
    bare_field: ClassVar[str] = "number"
    number: str = Field(description="any common format; stored as E.164 (default region CRM_CUSTOMER_PHONE_REGION)")

    @field_validator("number")
    @classmethod
    def _e164(cls, value: str) -> str:
        return normalise_phone(value, customer_settings().phone_region)


class EmailIn(_Point):
    bare_field: ClassVar[str] = "address"
    address: str

    @field_validator("address")
    @classmethod
    def _valid(cls, value: str) -> str:
        return normalise_email(value)


class ContactCreate(LearnedAt):
    name: Text100
    position: Text100 | None = None
    phones: list[PhoneIn] = Field(default_factory=list, max_length=10)
    emails: list[EmailIn] = Field(default_factory=list, max_length=10)
    birthday: date | None = None
    primary: bool = False


class ContactUpdate(LearnedAt):
    """Only the fields sent change. `position` is key information (R-05): it becomes a pending change."""

    name: Text100 | None = None
    position: Text100 | None = None
    phones: list[PhoneIn] | None = Field(default=None, max_length=10)
    emails: list[EmailIn] | None = Field(default=None, max_length=10)
    birthday: date | None = None
    primary: bool | None = None

    @field_validator("name", "phones", "emails", "primary", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value


class ContactPointRead(BaseModel):
    value: str | None = Field(description="masked unless the caller may see contact data (R-09)")
    label: str | None


class ContactRead(BaseModel):
    id: str
    name: str
    position: str | None
    phones: list[ContactPointRead]
    emails: list[ContactPointRead]
    birthday: str | None
    primary: bool
