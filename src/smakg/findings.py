"""One result model for every check (SHACL shapes, Python checks, quote checks), rendered by ``report``."""

from __future__ import annotations

from dataclasses import dataclass, field

from .load import Location

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

    def sort_key(self) -> tuple:
        loc = self.location or Location("~", 0)
        return (loc.file, loc.line, self.focus, SEVERITY_ORDER.get(self.severity, 9), self.rule,
                self.path or "", self.value or "", self.message)


@dataclass
class Outcome:
    """The findings of a run, with the counts that decide the exit code."""

    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

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
