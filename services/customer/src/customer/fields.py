"""Field types and the strict base every request model of the service shares. Unknown fields are refused
(422 naming them). The texts are the kit's (`servicekit.fields`): bounded by their column, never a NUL byte."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from servicekit.fields import Label, LongText, Name, Tag, Text, Title

Text200 = Title
Text100 = Name
LongText = LongText
# a BCP 47 tag that fits the 16-character column
Language = Annotated[Text, StringConstraints(max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]

__all__ = ["Label", "Language", "LongText", "Strict", "Tag", "Text", "Text100", "Text200"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
