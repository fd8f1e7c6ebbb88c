"""A questionnaire as data (R-34): sections of questions of four kinds, texts in zh-CN and en, versioned by key."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Text = dict[Annotated[str, StringConstraints(pattern=r"^(zh-CN|en)$")], Annotated[str, Field(max_length=500)]]


class QuestionKind(StrEnum):
    rating4 = "rating4"  # very satisfied / satisfied / average / poor
    csat = "csat"  # 1 .. 5
    nps = "nps"  # 0 .. 10
    single_choice = "single_choice"
    free_text = "free_text"


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Key
    label: Text


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key
    kind: QuestionKind
    text: Text
    required: bool = True
    options: list[Option] = Field(default_factory=list, description="single_choice only")

    @model_validator(mode="after")
    def _options_for_choice(self) -> Question:
        if (self.kind == QuestionKind.single_choice) != bool(self.options):
            raise ValueError("options: a single_choice question has options, other kinds none")
        return self


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Key
    title: Text
    questions: list[Question] = Field(min_length=1)


class QuestionnaireDefinition(BaseModel):
    """What `POST /questionnaires` takes; each new definition of a key is its next version."""

    model_config = ConfigDict(extra="forbid")

    key: Key
    title: Text
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_question_keys(self) -> QuestionnaireDefinition:
        keys = [q.key for s in self.sections for q in s.questions]
        duplicates = sorted({k for k in keys if keys.count(k) > 1} | ({"comment", "complaint"} & set(keys)))
        if duplicates:
            raise ValueError(f"sections: question keys must be unique and not reserved: {', '.join(duplicates)}")
        return self


class QuestionnaireRead(BaseModel):
    key: str
    version: int
    definition: QuestionnaireDefinition
