"""What a kind of curator's mistake is: where it can be made, how it is made, and which rule must catch it
(``Catch``). The catalogue is ``mistakes.py``; ``mutate.py`` runs it.

>>> choose(["a", "b", "c", "d"], 2)
['a', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import Graph
from rdflib.term import Node

from smakg.findings import Finding

AUTHORED, BUILT = "authored", "built"


@dataclass(frozen=True)
class Catch:
    """An expected catch: a finding's rule name, and optionally its constraint component (short: ``MinCount``)."""

    name: str
    component: str | None = None

    def matches(self, finding: Finding) -> bool:
        return finding.rule == self.name and (
            self.component is None or finding.component == f"sh:{self.component}ConstraintComponent")

    def __str__(self) -> str:
        return f"{self.name} [{self.component}]" if self.component else self.name


@dataclass(frozen=True)
class Kind:
    """One kind of mistake: ``targets`` lists where it can be made (sorted, so runs are repeatable), ``apply``
    makes it in place on a copy of the graph of ``stage`` (the curated graph, or the built one). ``group``,
    where given, sorts the targets into groups (the class of the entity, the property edited) and the run takes
    its targets from every group, so a mistake that different rules catch for different groups tries each."""

    name: str
    mistake: str
    expect: tuple[Catch, ...]
    targets: Callable[[Graph], Sequence[Node]]
    apply: Callable[[Graph, Node], object]  # what it returns is ignored
    stage: str = AUTHORED
    group: Callable[[Graph, Node], str] | None = None

    def choose(self, graph: Graph, n: int) -> list[Node]:
        """Up to ``n`` targets (``n`` per group), spread over the sorted candidates."""
        candidates = self.targets(graph)
        if self.group is None:
            return choose(candidates, n)
        groups: dict[str, list[Node]] = {}
        for node in candidates:
            groups.setdefault(self.group(graph, node), []).append(node)
        return [node for key in sorted(groups) for node in choose(groups[key], n)]


def choose(nodes: Sequence[Node], n: int) -> list[Node]:
    """``n`` nodes spread evenly over the sorted list (all of them if there are fewer)."""
    if len(nodes) <= n:
        return list(nodes)
    return [nodes[i * len(nodes) // n] for i in range(n)]
