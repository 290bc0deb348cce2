"""The job kinds a worker can run: each domain registers a function and the model of its params."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.accounts.models import Role
from app.core.errors import Invalid
from app.core.permissions import Perm

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.core.db import Database
    from app.core.permissions import Actor
    from app.jobs.service_context import JobContext

JobFunc = Callable[["JobContext", Any], dict[str, Any]]
# Checks, at submission, the resources a kind's params name: (session, actor, unit id, params).
# A resource the actor cannot see must be refused exactly like one that does not exist.
ParamsCheck = Callable[["Session", "Actor", int, Any], None]
# Periodic work: (database, now) -> what it did; opens its own short transactions, is safe to
# run in several workers at once and is retried on the next sweep when it fails.
PeriodicFunc = Callable[["Database", datetime], object]
P = TypeVar("P", bound=PeriodicFunc)

# Kinds and periodic steps are registered when each domain's `tasks` module is imported, and
# `app.kinds` imports them all (app/main.py and app/worker.py import it).


@dataclass(frozen=True)
class JobKind:
    name: str
    # Vietnamese msgid shown in lists and on the job page.
    title: str
    params_model: type[BaseModel]
    run: JobFunc
    # Permissions the submitter needs on the job's unit.
    perms: tuple[Perm, ...] = (Perm.job_run,)
    # When set, the submitter must also hold one of these roles (diagnostics for operators).
    roles: frozenset[Role] = field(default_factory=frozenset)
    # Template under templates/jobs/results/ that renders a succeeded job's result.
    result_template: str | None = None
    check_params: ParamsCheck | None = None

    def parse_params(self, raw: dict[str, Any] | None) -> BaseModel:
        """Validate params against the kind's model; 422 with one entry per bad field."""
        try:
            return self.params_model.model_validate(raw or {})
        except ValidationError as exc:
            details = [
                {
                    "field": ".".join(["params", *(str(p) for p in e["loc"])]),
                    "message": e["msg"],
                }
                for e in exc.errors()
            ]
            raise Invalid("Tham số của tác vụ không hợp lệ", details=details) from exc


@dataclass(frozen=True)
class PeriodicStep:
    name: str
    run: PeriodicFunc


_KINDS: dict[str, JobKind] = {}
_PERIODIC: dict[str, PeriodicStep] = {}


def register_kind(
    name: str,
    *,
    title: str,
    params: type[BaseModel],
    perms: tuple[Perm, ...] = (Perm.job_run,),
    roles: frozenset[Role] = frozenset(),
    result_template: str | None = None,
    check: ParamsCheck | None = None,
) -> Callable[[JobFunc], JobFunc]:
    """Decorator: make `func(ctx, params) -> result dict` runnable as job kind `name`."""

    def deco(func: JobFunc) -> JobFunc:
        if name in _KINDS and _KINDS[name].run is not func:
            raise ValueError(f"job kind {name!r} is registered twice")
        _KINDS[name] = JobKind(
            name=name,
            title=title,
            params_model=params,
            run=func,
            perms=perms,
            roles=roles,
            result_template=result_template,
            check_params=check,
        )
        return func

    return deco


def register_periodic(name: str) -> Callable[[P], P]:
    """Decorator: run `func(db, now)` on every sweep of every worker (see service_sweeper)."""

    def deco(func: P) -> P:
        if name in _PERIODIC and _PERIODIC[name].run is not func:
            raise ValueError(f"periodic step {name!r} is registered twice")
        _PERIODIC[name] = PeriodicStep(name=name, run=func)
        return func

    return deco


def all_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def find_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def periodic_steps() -> list[PeriodicStep]:
    """The registered periodic steps, in the order their modules were imported."""
    return list(_PERIODIC.values())


def get_kind(name: str) -> JobKind:
    """The kind called `name`; an unknown kind is bad input (422), not a missing resource."""
    kind = find_kind(name)
    if kind is None:
        raise Invalid("Loại tác vụ không tồn tại", details=[{"field": "kind", "message": name}])
    return kind


def kind_title(name: str) -> str:
    kind = find_kind(name)
    return kind.title if kind else name
