"""Who may read survey results and who may design questionnaires and campaigns (R-09, R-51)."""

from __future__ import annotations

from typing import Annotated

from servicekit.auth import Principal, Role, require_roles

Staff = Annotated[
    Principal,
    require_roles(
        Role.agent,
        Role.complaint_handler,
        Role.order_handler,
        Role.sales,
        Role.supervisor,
        Role.manager,
        Role.marketing,
        Role.vice_president,
        Role.auditor,
    ),
]
Designer = Annotated[Principal, require_roles(Role.marketing, Role.supervisor, Role.manager)]
Reviewer = Annotated[
    Principal, require_roles(Role.supervisor, Role.manager, Role.marketing, Role.vice_president, Role.auditor)
]
