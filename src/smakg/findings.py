"""One result model for every check (SHACL shapes, Python checks, quote checks), rendered by ``report``, and the
``Location`` (file and line) that points a curator at what to fix.

>>> str(Location("ontology/kb/claims/gard-sma.ttl", 14))
'ontology/kb/claims/gard-sma.ttl:14'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """Where a node is first described: a file path (as given) and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


VIOLATION = "Violation"
WARNING = "Warning"
INFO = "Info"
SEVERITY_ORDER = {VIOLATION: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem: which node, which property and value, what is wrong, and which rule says so."""

    severity: str
    focus: str
    message: str
    rule: str
    path: str | None = None
    value: str | None = None
    component: str | None = None
    location: Location | None = None

    def sort_key(self) -> tuple[str, int, str, int, str, str, str, str]:
        loc = self.location or Location("~", 0)
        return (loc.file, loc.line, self.focus, SEVERITY_ORDER.get(self.severity, 9), self.rule,
                self.path or "", self.value or "", self.message)


@dataclass(frozen=True)
class Rule:
    """A rule that was run (a shape or a Python check), named as its findings name it: what it demands, its
    default severity, where it is written, and its constraints in words (for reports that list every rule)."""

    name: str
    description: str
    severity: str = VIOLATION
    location: Location | None = None
    constraints: tuple[str, ...] = ()


@dataclass
class Outcome:
    """The findings of a run, with the counts that decide the exit code, and the rules that were run."""

    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)

    def add_rules(self, rules: list[Rule]) -> None:
        """Record rules that were run; two shapes of the same name (say a violation and a warning on one path)
        become one rule with the most severe severity."""
        for rule in rules:
            known = self.rules.get(rule.name)
            if known is not None:
                severity = min(known.severity, rule.severity, key=lambda s: SEVERITY_ORDER.get(s, 9))
                description = known.description if rule.description in known.description else (
                    f"{known.description} {rule.description}".strip())
                rule = Rule(rule.name, description, severity, known.location or rule.location,
                            known.constraints + tuple(c for c in rule.constraints if c not in known.constraints))
            self.rules[rule.name] = rule

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: list[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> list[Finding]:
        unique = {(f.sort_key(), f.component): f for f in self.findings}
        return [unique[k] for k in sorted(unique, key=lambda k: (k[0], k[1] or ""))]

    @property
    def violations(self) -> int:
        return sum(1 for f in self.sorted() if f.severity == VIOLATION)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.sorted() if f.severity == WARNING)

    def conforms(self, *, strict: bool = False) -> bool:
        return self.violations == 0 and (not strict or self.warnings == 0)
