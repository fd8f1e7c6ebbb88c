"""Make invitations (after a case, R-33; by a campaign, R-34/R-42), hand them to the notifier, remind once, expire.

Each invitation is one row whose `dedupe_key` is unique, so a redelivered case event or a re-run campaign
never invites twice; a contact invited within the window is skipped with the reason recorded.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Event
from contracts.events.notification import NotificationRequestedV1, Recipient
from contracts.events.surveys import (
    SkipReason,
    SurveyInvitationExpiredV1,
    SurveyInvitationSentV1,
    SurveyInvitationSkippedV1,
    SurveyKind,
)
from servicekit.clock import now as clock_now
from servicekit.db import after_commit
from servicekit.outbox import record_events
from servicekit.settings import service_settings
from surveys.customers.models import CustomerView
from surveys.invitations import metrics, rules
from surveys.invitations.models import Invitation
from surveys.questionnaires import service as questionnaires
from surveys.settings import surveys_settings

STAFF_EVALUATION = "staff_evaluation"


@dataclass(frozen=True)
class Target:
    """Who is invited to what: the customer (its primary contact unless `contact_id`) and the survey."""

    kind: SurveyKind
    dedupe_key: str
    customer_id: str
    contact_id: str | None
    questionnaire_key: str
    questionnaire_version: int
    purpose: str
    case_id: str | None = None
    case_number: str | None = None
    campaign_id: str | None = None
    rated_staff: str | None = None
    rated_team: str | None = None
    channels: tuple[str, ...] | None = None
    skip_reason: SkipReason | None = None  # decided by the caller, e.g. no consent


@cache
def _link_base() -> str:
    """Read once: building the settings per invitation would cost more than the invitation itself."""
    base = surveys_settings().public_url
    if not base:
        own = service_settings("surveys")
        base = f"http://{own.host}:{own.port}"
    return base.rstrip("/")


def survey_url(token: str) -> str:
    return f"{_link_base()}/s/{token}"


def token_of(invitation: Invitation) -> str:
    assert invitation.expires_at is not None
    return rules.make_token(surveys_settings().token_secret, invitation.id, invitation.expires_at)


async def invite_after_case(
    session: AsyncSession,
    *,
    case_id: str,
    number: str,
    customer_id: str,
    rated_staff: str | None,
    rated_team: str | None,
) -> Invitation | None:
    """R-33: a service message (no consent needed, R-42) to the customer's primary contact."""
    version = await questionnaires.current_version(session, STAFF_EVALUATION)
    target = Target(
        kind=SurveyKind.staff_evaluation,
        dedupe_key=f"case:{case_id}",
        customer_id=customer_id,
        contact_id=None,
        questionnaire_key=STAFF_EVALUATION,
        questionnaire_version=version,
        purpose="service",
        case_id=case_id,
        case_number=number,
        rated_staff=rated_staff,
        rated_team=rated_team,
    )
    return await invite(session, target)


async def invite(
    session: AsyncSession, target: Target, *, customer: CustomerView | None = None, now: datetime | None = None
) -> Invitation | None:
    """One invitation, sent or skipped with its reason; None when this case or campaign already invited."""
    if customer is None:
        # serialises invitations to one customer across replicas, so the window rule holds
        customer = await session.get(CustomerView, target.customer_id, with_for_update=True)
    made = await invite_all(session, [target], {target.customer_id: customer}, now=now or clock_now(session))
    return made[0] if made else None


async def invite_all(
    session: AsyncSession, targets: list[Target], customers: dict[str, CustomerView | None], *, now: datetime
) -> list[Invitation]:
    """Invitations for many targets in a few statements (a campaign plans thousands per transaction).

    A target whose dedupe key exists is left out; one whose contact was invited within the window, whose
    customer is erased, or that carries its own reason (no consent) is recorded as skipped with the reason.
    """
    settings = surveys_settings()
    keys = [t.dedupe_key for t in targets]
    known = set((await session.scalars(select(Invitation.dedupe_key).where(Invitation.dedupe_key.in_(keys)))).all())
    recent = await _recently_surveyed(session, {t.customer_id for t in targets}, now, settings.contact_window_days)
    made: list[Invitation] = []
    events: list[tuple[Event, str, int]] = []
    counts: Counter[tuple[str, str, str]] = Counter()
    for target in targets:
        if target.dedupe_key in known:
            continue
        known.add(target.dedupe_key)
        customer = customers.get(target.customer_id)
        invitation = _new_invitation(target, customer, now)
        reason = _skip_reason(target, customer, recent)
        if reason is not None:
            invitation.status, invitation.skip_reason = "skipped", reason
            event: Event = SurveyInvitationSkippedV1(**_common(invitation), reason=reason, skipped_at=now)
            events.append((event, invitation.id, invitation.version))
            counts[(target.kind, "skipped", reason)] += 1
        else:
            recent.add((target.customer_id, invitation.contact_key))
            invitation.expires_at = rules.expiry(now, settings.link_valid_days)
            invitation.remind_at = rules.reminder_due(now, settings.reminder_after_days, invitation.expires_at)
            token = token_of(invitation)
            invitation.token_hash = rules.token_hash(token)
            sent = SurveyInvitationSentV1(
                **_common(invitation),
                rated_staff=invitation.rated_staff,
                channel=target.channels[0] if target.channels and len(target.channels) == 1 else None,
                expires_at=invitation.expires_at,
                sent_at=now,
            )
            notification = _notification(invitation, token, target.purpose, reminder=False)
            events += [(notification, invitation.id, invitation.version), (sent, invitation.id, invitation.version)]
            counts[(target.kind, "sent", "")] += 1
        made.append(invitation)
    session.add_all(made)
    await session.flush()
    await record_events(session, events)
    after_commit(session, lambda: [metrics.INVITATIONS.labels(*key).inc(n) for key, n in counts.items()])
    return made


def _new_invitation(target: Target, customer: CustomerView | None, now: datetime) -> Invitation:
    return Invitation(
        id=str(uuid.uuid4()),
        dedupe_key=target.dedupe_key,
        kind=target.kind,
        status="sent",
        customer_id=target.customer_id,
        contact_id=target.contact_id,
        contact_key=rules.contact_key(target.contact_id),
        case_id=target.case_id,
        case_number=target.case_number,
        campaign_id=target.campaign_id,
        questionnaire_key=target.questionnaire_key,
        questionnaire_version=target.questionnaire_version,
        rated_staff=target.rated_staff,
        rated_team=target.rated_team,
        owner=customer.owner if customer else None,
        team=customer.team if customer else None,
        channels=",".join(target.channels) if target.channels else None,
        created_at=now,
        version=1,
    )


def _skip_reason(target: Target, customer: CustomerView | None, recent: set[tuple[str, str]]) -> SkipReason | None:
    if customer is not None and customer.erased:
        return SkipReason.erased
    if target.skip_reason is not None:
        return target.skip_reason
    if (target.customer_id, rules.contact_key(target.contact_id)) in recent:
        return SkipReason.recently_surveyed
    return None


async def _recently_surveyed(
    session: AsyncSession, customer_ids: set[str], now: datetime, window_days: int
) -> set[tuple[str, str]]:
    """(customer, contact key) pairs invited within the window (R-33: surveyed at most once per window)."""
    if not window_days:
        return set()
    query = select(Invitation.customer_id, Invitation.contact_key).where(
        Invitation.customer_id.in_(customer_ids),
        Invitation.status != "skipped",
        Invitation.created_at > rules.window_start(now, window_days),
    )
    return {(customer_id, key) for customer_id, key in (await session.execute(query)).all()}


def _common(invitation: Invitation) -> dict[str, str | None]:
    return {
        "invitation_id": invitation.id,
        "kind": invitation.kind,
        "customer_id": invitation.customer_id,
        "contact_id": invitation.contact_id,
        "case_id": invitation.case_id,
        "campaign_id": invitation.campaign_id,
    }


def _notification(invitation: Invitation, token: str, purpose: str, *, reminder: bool) -> NotificationRequestedV1:
    """Sent in the contact's language and channel by the notifier (R-41); the reminder repeats the same link."""
    parameters: dict[str, str] = {"survey_url": survey_url(token)}
    if invitation.case_number:
        parameters["number"] = invitation.case_number
    return NotificationRequestedV1(
        idempotency_key=f"survey:{invitation.id}:{'reminder' if reminder else 'invitation'}",
        recipient=Recipient(customer_id=invitation.customer_id, contact_id=invitation.contact_id),
        purpose=purpose,
        template=surveys_settings().template,
        parameters=parameters,
        channels=invitation.channels.split(",") if invitation.channels else None,
    )


def purpose_of(invitation: Invitation) -> str:
    return "service" if invitation.kind == SurveyKind.staff_evaluation else "care"


async def remind(session: AsyncSession, invitations: list[Invitation], now: datetime) -> None:
    """One reminder per unanswered invitation (R-33), with the same link."""
    events = []
    for invitation in invitations:
        invitation.remind_at, invitation.reminded_at = None, now
        notification = _notification(invitation, token_of(invitation), purpose_of(invitation), reminder=True)
        events.append((notification, invitation.id, invitation.version))
    await record_events(session, events)
    kinds = [invitation.kind for invitation in invitations]
    after_commit(session, lambda: [metrics.INVITATIONS.labels(kind, "reminded", "").inc() for kind in kinds])


async def expire(session: AsyncSession, invitations: list[Invitation], now: datetime) -> None:
    events = []
    for invitation in invitations:
        invitation.status, invitation.remind_at = "expired", None
        invitation.version += 1
        events.append(
            (
                SurveyInvitationExpiredV1(**_common(invitation), answered=invitation.answered, expired_at=now),
                invitation.id,
                invitation.version,
            )
        )
    await record_events(session, events)
    kinds = [invitation.kind for invitation in invitations]
    after_commit(session, lambda: [metrics.INVITATIONS.labels(kind, "expired", "").inc() for kind in kinds])
