"""No import cycle between any two modules of `app`, counting imports inside functions.

import-linter's `acyclic_siblings` contract (pyproject.toml) checks the modules of one package;
this checks the whole application's module graph, where a cycle through several domains (a
sweeper importing a domain that imports the job dispatcher) would otherwise hide.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp

# Rings still to break, each with its reason; the goal is none. Listed exactly, so that the
# commit that breaks one also removes it here.
KNOWN_CYCLES: list[list[str]] = []


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm, iterative: every group of two or more modules that import in a ring."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_finds_a_ring() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]:
        graph.add_import(importer=importer, imported=imported)
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_app_has_no_import_cycle() -> None:
    graph = grimp.build_graph("app")
    cycles = strongly_connected(graph)
    assert cycles == KNOWN_CYCLES, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_every_page_module_is_in_the_independence_contract() -> None:
    """A new `app/web/routes_*.py` left out of the contract could import another page."""
    root = Path(__file__).resolve().parents[2]
    contracts = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]
    listed = next(
        set(c["modules"])
        for c in contracts["contracts"]
        if c["name"] == "web page modules never import each other"
    )
    pages = {f"app.web.{p.stem}" for p in (root / "app" / "web").glob("routes_*.py")}
    assert pages - listed == set()
