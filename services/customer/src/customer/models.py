"""Every table of the customer service on its one `Base`: what Alembic compares and `crm pii rekey` walks.

Each table is declared in its concept's `models.py`; importing this module registers them all.
"""

from __future__ import annotations

from customer.audit.models import AuditEntry
from customer.classification.models import ClassificationChange, TierRule
from customer.consent.models import Consent
from customer.contacts.models import Contact, ContactPoint
from customer.database import Base, kit
from customer.figures.models import SurveyScore
from customer.imports.models import ImportJob
from customer.key_information.models import PendingChange
from customer.ownership.models import OwnerRule
from customer.records.models import Customer
from customer.segments.models import Segment

__all__ = [
    "AuditEntry",
    "Base",
    "ClassificationChange",
    "Consent",
    "Contact",
    "ContactPoint",
    "Customer",
    "ImportJob",
    "OwnerRule",
    "PendingChange",
    "Segment",
    "SurveyScore",
    "TierRule",
    "kit",
]
