"""Matrix entries for the "Giao cho chi bộ" page of a document's summary (issue 16): the form
opens for whoever sees the document and may give tasks somewhere (the tasks' permission), so
a cell secretary opens it for the ward's directive above the cell; posting it needs the right
to give tasks in the chosen unit, as the API's adopt route (`spec_summaries`)."""

from __future__ import annotations

from typing import Any

from tests.permissions.matrix import Case, RouteSpec, merge, roles_on
from tests.permissions.spec_documents import MANAGERS
from tests.permissions.spec_summaries import adopt, summarised

ADOPTERS = merge(
    roles_on({"own", "child", "parent"}, "secretary", "ward_staff"),
    roles_on({"own", "child"}, "city_admin"),
)
WEB = "/documents/{document_id}/summary/tasks/{task_index}/adopt"


def adopt_form(c: Case) -> dict[str, Any]:
    return {k: str(v) for k, v in adopt(c).items()}


SPECS = [
    RouteSpec("GET", WEB, ADOPTERS, setup=summarised, web=True),
    RouteSpec("POST", WEB, MANAGERS, setup=summarised, form=adopt_form, web=True),
]
