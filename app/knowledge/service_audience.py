"""Audience tokens: how a chunk's audience is written into the index so that the store filter
stays cheap, mirroring `documents.service.visible_condition`.

A token packs (unit id, kind, subtree flag) into one integer: `unit * 32 + kind * 2 + subtree`.
The document side writes a handful of tokens per audience row; the asker side computes a small
set from their grants (their units and those units' ancestor chains, so O(grants x depth),
never a subtree's thousands of units). The store keeps any chunk sharing a token with the
asker's set. The mirror of visible_condition:

- an audience row (u, subtree, role) addresses a grant on unit g with that role when u == g,
  or when subtree is set and u is an ancestor of g: the document writes (u, role, subtree) and
  the asker (g, role, 0) plus (a, role, 1) for a in g's chain including g;
- a document_view holder on unit v sees documents issued in v's subtree and documents with an
  audience unit in v's subtree: the document writes (a, SCOPE, 1) for every a on the chain of
  the issuing unit and of each audience unit, the asker (v, SCOPE, 1);
- a document_view holder on v also sees subtree audiences (any role) above v: the document
  writes (u, ABOVE, 1) for subtree rows, the asker (a, ABOVE, 1) for v's strict ancestors.

Tokens are a pre-filter only: every retrieved chunk is re-checked with visible_condition in
SQL (a unit moved since indexing, for one, changes the chains; `sotay index rebuild` refreshes).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.accounts.models import Role
from app.core.permissions import Actor, Perm

# Role limits of audience rows; 0 is "everyone in the unit" (no role, or the member role).
_ROLE_KIND = {
    None: 0,
    Role.member.value: 0,
    Role.cell_secretary.value: 1,
    Role.cell_deputy.value: 2,
    Role.committee_staff.value: 3,
    Role.committee_admin.value: 4,
    Role.auditor.value: 5,
    Role.city_admin.value: 6,
}
_UNKNOWN_ROLE = 13  # an audience role no grant can hold: matches nobody by role
ABOVE = 14
SCOPE = 15


def token(unit_id: int, kind: int, subtree: bool) -> int:
    return int(unit_id) * 32 + kind * 2 + (1 if subtree else 0)


def chain(path: str) -> list[int]:
    """Unit ids from the root down to the unit itself, from a materialised path '/1/5/23/'."""
    return [int(p) for p in path.strip("/").split("/") if p]


def document_tokens(
    issuing_path: str, rows: Iterable[tuple[int, str, bool, str | None]]
) -> tuple[int, ...]:
    """Tokens of a document from its issuing unit's path and its audience rows
    (unit id, unit path, include_subtree, role)."""
    out = {token(a, SCOPE, True) for a in chain(issuing_path)}
    for unit_id, path, subtree, role in rows:
        kind = _ROLE_KIND.get(role, _UNKNOWN_ROLE)
        out.add(token(unit_id, kind, subtree))
        if subtree:
            out.add(token(unit_id, ABOVE, True))
        out.update(token(a, SCOPE, True) for a in chain(path))
    return tuple(sorted(out))


def actor_tokens(actor: Actor | None) -> set[int]:
    """The asker's side: small, whatever the size of their subtree."""
    if actor is None:
        return set()
    out: set[int] = set()
    for g in actor.grants:
        kind = _ROLE_KIND[g.role.value]
        out.add(token(g.unit_id, kind, False))
        out.update(token(a, kind, True) for a in chain(g.unit_path))
    for path in actor.paths_for(Perm.document_view):
        units = chain(path)
        out.add(token(units[-1], SCOPE, True))
        out.update(token(a, ABOVE, True) for a in units[:-1])
    return out
