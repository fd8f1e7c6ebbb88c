"""Contact request and response models. Phones and emails are normalised on the way in (R-01)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, StrictBool, StringConstraints, field_validator, model_validator

from customer.change_lag.schemas import LearnedAt
from customer.contacts.rules import normalise_email, normalise_phone
from customer.fields import Label, Strict, Text, Text100
from customer.settings import customer_settings
from servicekit.fields import Day, omittable


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
    number: Annotated[Text, StringConstraints(min_length=1, max_length=50)] = Field(
        description="any common format; stored as E.164 (default region CRM_CUSTOMER_PHONE_REGION)"
    )

    @field_validator("number")
    @classmethod
    def _e164(cls, value: str) -> str:
        return normalise_phone(value, customer_settings().phone_region)


class EmailIn(_Point):
    bare_field: ClassVar[str] = "address"
    address: Annotated[Text, StringConstraints(min_length=3, max_length=254)]

    @field_validator("address")
    @classmethod
    def _valid(cls, value: str) -> str:
        return normalise_email(value)


class ContactCreate(LearnedAt):
    name: Text100
    position: Text100 | None = None
    phones: list[PhoneIn] = Field(default_factory=list, max_length=10)
    emails: list[EmailIn] = Field(default_factory=list, max_length=10)
    birthday: Day | None = None
    primary: StrictBool = False


class ContactUpdate(LearnedAt):
    """Only the fields sent change. `position` is key information (R-05): it becomes a pending change."""

    name: Text100 = omittable()
    position: Text100 | None = None
    phones: list[PhoneIn] = omittable(max_length=10)
    emails: list[EmailIn] = omittable(max_length=10)
    birthday: Day | None = None
    primary: StrictBool = omittable()


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
