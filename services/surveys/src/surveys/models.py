"""Every surveys table on the one Base: migrations and the `crm` commands read `Base.metadata` from here.

Each concept defines its own tables; importing them here makes the metadata whole."""

from __future__ import annotations

from surveys.campaigns.models import Campaign
from surveys.cases.models import CaseView
from surveys.customers.models import ContactConsent, CustomerView
from surveys.database import Base, kit
from surveys.invitations.models import Invitation
from surveys.questionnaires.models import Questionnaire
from surveys.responses.models import Response, ResponseRevision

__all__ = [
    "Base",
    "Campaign",
    "CaseView",
    "ContactConsent",
    "CustomerView",
    "Invitation",
    "Questionnaire",
    "Response",
    "ResponseRevision",
    "kit",
]
