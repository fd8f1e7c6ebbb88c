"""Keep who handles each case; a closed or signed-off case invites its customer to rate the staff (R-33)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from surveys.cases import rules
from surveys.cases.models import CaseView
from surveys.invitations import service as invitations


async def note_case(
    session: AsyncSession,
    case_id: str,
    version: int,
    *,
    number: str,
    customer_id: str,
    kind: str | None = None,
    **values: str | None,
) -> None:
    """The kind is a fact that never changes (kept whatever the order); who handles it follows the newest version."""
    view = await session.get(CaseView, case_id, with_for_update=True)
    if view is None:
        session.add(
            CaseView(case_id=case_id, number=number, customer_id=customer_id, kind=kind, version=version, **values)
        )
    else:
        view.kind = view.kind or kind
        newer = version > view.version
        for key, value in values.items():
            if newer or getattr(view, key) is None:  # an older event still fills what no newer one said
                setattr(view, key, value)
        view.version = max(version, view.version)
    await session.flush()


async def case_finished(
    session: AsyncSession, case_id: str, *, number: str, customer_id: str, outcome: str | None
) -> None:
    view = await session.get(CaseView, case_id)
    kind = view.kind if view else None
    if not rules.evaluated(kind, outcome):
        return
    rated = rules.rated_staff(kind, view.owner, view.technician, view.acknowledged_by) if view else None
    await invitations.invite_after_case(
        session,
        case_id=case_id,
        number=number,
        customer_id=customer_id,
        rated_staff=rated,
        rated_team=view.team if view else None,
    )
