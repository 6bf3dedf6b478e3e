"""Where the curated files live: the one place that knows the repository layout.

>>> Project().kb.as_posix()
'ontology/kb'
>>> Project(Path("/repo")).dist.as_posix()
'/repo/dist'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from smakg.errors import BadInputError

SOURCES_ENV = "SMAKG_SOURCES_DIR"


@dataclass(frozen=True)
class Project:
    """A smakg project folder (default: the current directory, laid out as this repository is)."""

    root: Path = Path(".")

    @property
    def ontology(self) -> Path:
        """Everything curated by hand except the shapes: vocabulary, imports, knowledge base, JSON-LD inputs."""
        return self.root / "ontology"

    @property
    def kb(self) -> Path:
        return self.ontology / "kb"

    @property
    def vocabulary(self) -> Path:
        return self.ontology / "smakg.ttl"

    @property
    def imports(self) -> Path:
        return self.ontology / "imports"

    @property
    def context(self) -> Path:
        return self.ontology / "context.jsonld"

    @property
    def conditions_frame(self) -> Path:
        return self.ontology / "frames" / "conditions.frame.jsonld"

    @property
    def condition_schema(self) -> Path:
        return self.ontology / "schema" / "condition.schema.json"

    @property
    def identifiers(self) -> Path:
        """The verified identifier table (TSV with its evidence column): every imported identifier is checked
        against it."""
        return self.ontology / "identifiers.tsv"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        """The competency questions: one SPARQL query per .rq file, beside its expected answer."""
        return self.root / "queries"

    @property
    def dist(self) -> Path:
        """The default output folder of ``smakg build`` (generated, ignored by git)."""
        return self.root / "dist"

    def sources_dir(self, given: Path | None = None) -> Path | None:
        """Where the source documents are, for the quote check: the folder given, else ``$SMAKG_SOURCES_DIR``, else
        ``../shared/seeds`` beside the project when it exists (the team's layout), else None (the documents are
        never part of the repository, so a plain clone has none)."""
        if given is not None:
            return given
        if os.environ.get(SOURCES_ENV):
            return Path(os.environ[SOURCES_ENV])
        beside = self.root.resolve().parent / "shared" / "seeds"
        return beside if beside.is_dir() else None

    def curated_dirs(self) -> list[Path]:
        """The folders of hand-edited files that have a canonical form (``smakg fmt``)."""
        return [self.ontology, self.shapes]

    def check(self) -> None:
        """Raise BadInputError when a folder or file every build needs is missing."""
        for path in (self.kb, self.vocabulary, self.imports, self.shapes):
            if not path.exists():
                raise BadInputError(f"{path}: not found", hint="run smakg from the project root, or pass --project DIR")
