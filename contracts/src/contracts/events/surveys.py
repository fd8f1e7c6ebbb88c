"""Events the surveys service publishes: invitations, responses and low scores (R-33 .. R-35, R-42).

The aggregate is one survey invitation with its response: `aggregate_id` is the invitation id and
`aggregate_version` counts its changes (sent, each response revision, expired).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from contracts.envelope import Event
from contracts.events.customer import MessageChannel


class SurveyKind(StrEnum):
    staff_evaluation = "staff_evaluation"  # after each complaint or service case
    questionnaire = "questionnaire"  # periodic CSAT/NPS questionnaire sent by a campaign


class SkipReason(StrEnum):
    """Why no invitation went out (a skipped invitation says why, R-33/R-42/R-43)."""

    recently_surveyed = "recently_surveyed"  # the contact was surveyed within the configured window
    no_consent = "no_consent"  # a questionnaire needs consent for the survey purpose
    no_contact = "no_contact"  # the customer has no contact to invite
    erased = "erased"  # the customer's personal data was erased
    duplicate = "duplicate"  # this case or campaign already invited the contact


class LowScoreReason(StrEnum):
    """R-35: what in a response asks for a follow-up."""

    poor_item = "poor_item"  # a staff-evaluation item rated "poor"
    low_csat = "low_csat"  # a CSAT answer of 1 or 2
    nps_detractor = "nps_detractor"  # an NPS answer of 0 .. 6
    complaint_requested = "complaint_requested"  # the customer asked to complain


class _InvitationEvent(Event):
    aggregate: ClassVar[str] = "survey"

    invitation_id: str
    kind: SurveyKind
    customer_id: str
    contact_id: str | None = Field(description="None when no contact could be invited")
    case_id: str | None = Field(default=None, description="the case evaluated (staff_evaluation)")
    campaign_id: str | None = Field(default=None, description="the campaign that sent it (questionnaire)")


class SurveyInvitationSentV1(_InvitationEvent):
    """The invitation was handed to the notifier (`notification.requested.v1`); the link expires at `expires_at`."""

    event_type: ClassVar[str] = "survey.invitation_sent.v1"

    rated_staff: str | None = Field(default=None, description="staff subject rated, fixed when invited (R-33)")
    channel: MessageChannel | None = Field(default=None, description="None: the notifier's template default")
    expires_at: datetime
    sent_at: datetime


class SurveyInvitationSkippedV1(_InvitationEvent):
    """No invitation went out, and why."""

    event_type: ClassVar[str] = "survey.invitation_skipped.v1"

    reason: SkipReason
    skipped_at: datetime


class SurveyInvitationExpiredV1(_InvitationEvent):
    """The link expired; `answered` tells whether a response had been recorded before."""

    event_type: ClassVar[str] = "survey.invitation_expired.v1"

    answered: bool
    expired_at: datetime


class SurveyResponseRecordedV1(Event):
    """A response was recorded or changed (`revision` 1, 2, ...; the last one counts). No free text (R-09)."""

    event_type: ClassVar[str] = "survey.response_recorded.v1"
    aggregate: ClassVar[str] = "survey"

    response_id: str
    invitation_id: str
    kind: SurveyKind
    customer_id: str
    contact_id: str | None
    case_id: str | None = None
    campaign_id: str | None = None
    questionnaire_id: str | None = Field(default=None, description="questionnaire key (questionnaire kind)")
    questionnaire_version: int | None = None
    rated_staff: str | None = Field(default=None, description="staff subject rated (staff_evaluation, R-33)")
    items: dict[str, str] = Field(
        default_factory=dict,
        description="staff_evaluation: item -> level (very_satisfied, satisfied, average, poor)",
    )
    satisfaction: float | None = Field(
        default=None,
        ge=0,
        le=5,
        description="normalised satisfaction on the R-03 survey_score scale 0 .. 5 (mean of the rated items)",
    )
    nps: int | None = Field(default=None, ge=0, le=10, description="the NPS answer, when asked")
    low_score: bool = Field(default=False, description="this revision raised survey.low_score_recorded.v1")
    responded_at: datetime
    revision: int = Field(ge=1)


class SurveyLowScoreRecordedV1(Event):
    """R-35: a poor item, a low CSAT, an NPS detractor or a complaint request; engagement opens a recovery to-do.

    Published once per response (the first revision that is low); `complaint_requested`
    carries no text: the complaint case is opened by the complaints service from the survey.
    """

    event_type: ClassVar[str] = "survey.low_score_recorded.v1"
    aggregate: ClassVar[str] = "survey"

    response_id: str
    invitation_id: str
    kind: SurveyKind
    customer_id: str
    contact_id: str | None
    case_id: str | None = None
    campaign_id: str | None = None
    owner: str | None = Field(default=None, description="account owner when known, else None (engagement resolves)")
    rated_staff: str | None = None
    reasons: list[LowScoreReason]
    wants_complaint: bool
    satisfaction: float | None = Field(default=None, ge=0, le=5)
    nps: int | None = Field(default=None, ge=0, le=10)
    responded_at: datetime


class SurveyComplaintRequestedV1(Event):
    """R-35: the customer asked, in a survey, to complain; the complaints service opens a case (channel survey).

    Carries the customer's own words, so it is personal data (kept encrypted in the outbox).
    """

    event_type: ClassVar[str] = "survey.complaint_requested.v1"
    aggregate: ClassVar[str] = "survey"
    personal_data: ClassVar[bool] = True

    response_id: str
    invitation_id: str
    customer_id: str
    contact_id: str | None
    case_id: str | None = Field(default=None, description="the case the evaluation was about, if any")
    rated_staff: str | None = None
    text: str = Field(description="the complaint in the customer's words (may be empty)")
    language: str | None = None
    requested_at: datetime
