"""Who may work cases and who may review them: the typed principals the routes of every concept declare."""

from __future__ import annotations

from typing import Annotated

from servicekit.auth import Principal, Role, require_roles

Handler = Annotated[
    Principal,
    require_roles(
        Role.agent,
        Role.complaint_handler,
        Role.order_handler,
        Role.sales,
        Role.supervisor,
        Role.manager,
        Role.marketing,
        Role.rnd,
        Role.vice_president,
    ),
]
Reviewer = Annotated[Principal, require_roles(Role.supervisor, Role.manager, Role.vice_president, Role.auditor)]
