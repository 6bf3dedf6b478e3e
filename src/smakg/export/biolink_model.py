"""The pinned Biolink model, as much of it as the Biolink view needs to be checked offline.

``data/biolink-model.json`` is generated from the ``biolink_model.yaml`` and prefix map that the
``biolink-model`` PyPI package ships (``python scripts/vendor_biolink.py``); a test regenerates it from the
installed package and compares, so the file cannot drift from the release it names. At build time only the
JSON is read: no network, no LinkML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.resources import files
from typing import Any

from smakg.kb.vocab import Curies

VENDORED = "biolink-model.json"


def class_curie(name: str) -> str:
    """``causal gene to disease association`` -> ``biolink:CausalGeneToDiseaseAssociation``."""
    return "biolink:" + "".join(w[:1].upper() + w[1:] for w in name.split(" "))


def slot_curie(name: str) -> str:
    """``gene associated with condition`` -> ``biolink:gene_associated_with_condition``."""
    return "biolink:" + name.replace(" ", "_")


def slot_column(name: str) -> str:
    """The KGX column of a slot: ``primary knowledge source`` -> ``primary_knowledge_source``."""
    return name.replace(" ", "_")


def _chain(name: str, table: dict[str, dict[str, Any] | None], *, mixins: bool) -> list[str]:
    """``name`` and every ancestor (``is_a``, and ``mixins`` when asked), nearest first, each once."""
    seen: list[str] = []
    todo = [name]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in table:
            continue
        seen.append(current)
        entry = table[current] or {}
        if entry.get("is_a"):
            todo.append(entry["is_a"])
        if mixins:
            todo.extend(entry.get("mixins") or [])
    return seen


def _inherited(name: str, table: dict[str, dict[str, Any] | None], key: str) -> Any:
    for ancestor in _chain(name, table, mixins=False):
        value = (table[ancestor] or {}).get(key)
        if value is not None:
            return value
    return None


def _usage(name: str, classes: dict[str, dict[str, Any] | None], slot: str, key: str) -> Any:
    """A slot_usage setting of a class, looked up through its own usage, its mixins', then its parents'."""
    for ancestor in _chain(name, classes, mixins=True):
        value = ((classes[ancestor] or {}).get("slot_usage") or {}).get(slot, {}) or {}
        if value.get(key) is not None:
            return value[key]
    return None


def from_schema(schema: dict[str, Any], prefix_map: dict[str, str]) -> dict[str, Any]:
    """The subset of a parsed ``biolink_model.yaml`` that smakg checks against, as plain JSON data, with the
    release's full prefix map (``prefixmaps/biolink-model-prefix-map.json``: the YAML's own prefixes plus the
    OBO, Monarch and semweb maps it defers to)."""
    classes: dict[str, dict[str, Any] | None] = schema["classes"]
    slots: dict[str, dict[str, Any] | None] = schema["slots"]
    enums: dict[str, dict[str, Any] | None] = schema["enums"]

    categories = {}
    for name in sorted(classes):
        entry = classes[name] or {}
        categories[class_curie(name)] = {
            "is_a": class_curie(entry["is_a"]) if entry.get("is_a") else None,
            "mixins": [class_curie(m) for m in entry.get("mixins") or []],
            "abstract": bool(entry.get("abstract")),
            "mixin": bool(entry.get("mixin")),
            "id_prefixes": list(entry.get("id_prefixes") or []),
        }
    predicates = {}
    for name in sorted(slots):
        chain = _chain(name, slots, mixins=False)
        if "related to" not in chain:
            continue
        domain, range_ = _inherited(name, slots, "domain"), _inherited(name, slots, "range")
        predicates[slot_curie(name)] = {
            "is_a": slot_curie(chain[1]) if len(chain) > 1 else None,
            "domain": class_curie(domain) if domain else None,
            "range": class_curie(range_) if range_ in classes else None,
            "deprecated": bool((slots[name] or {}).get("deprecated")),
        }
    associations = {}
    for name in sorted(classes):
        if "association" not in _chain(name, classes, mixins=False):
            continue
        subject, object_ = _usage(name, classes, "subject", "range"), _usage(name, classes, "object", "range")
        enum = _usage(name, classes, "predicate", "range")
        allowed = sorted((enums.get(enum) or {}).get("permissible_values") or {}) if enum in enums else None
        parent = _usage(name, classes, "predicate", "subproperty_of")
        associations[class_curie(name)] = {
            "subject": class_curie(subject) if subject in classes else None,
            "object": class_curie(object_) if object_ in classes else None,
            "predicates": allowed,
            "predicate_parent": slot_curie(parent) if parent else None,
        }

    def required(cls: str) -> list[str]:
        out = set()
        for ancestor in _chain(cls, classes, mixins=True):
            entry = classes[ancestor] or {}
            for slot in entry.get("slots") or []:
                usage = ((entry.get("slot_usage") or {}).get(slot) or {})
                if usage.get("required") or (slots.get(slot) or {}).get("required"):
                    out.add(slot_column(slot))
            for slot, usage in (entry.get("slot_usage") or {}).items():
                if (usage or {}).get("required"):
                    out.add(slot_column(slot))
        # a usage that relaxes a slot (association: category required false) wins over the slot default
        for slot, usage in ((classes[cls] or {}).get("slot_usage") or {}).items():
            if (usage or {}).get("required") is False:
                out.discard(slot_column(slot))
        return sorted(out)

    return {
        "version": str(schema["version"]),
        "categories": categories,
        "predicates": predicates,
        "associations": associations,
        "slots": {slot_column(n): {"multivalued": bool((slots[n] or {}).get("multivalued"))} for n in sorted(slots)},
        "required": {"node": required("named thing"), "edge": required("association")},
        "enums": {n: sorted((enums[n] or {}).get("permissible_values") or {}) for n in
                  ("KnowledgeLevelEnum", "AgentTypeEnum")},
        "prefixes": dict(sorted(prefix_map.items())),
    }


def dumps(model: dict[str, Any]) -> str:
    """Sorted JSON with one entry of each table per line, so a model upgrade reads as a short diff."""

    def one(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    parts = []
    for key in sorted(model):
        value = model[key]
        if isinstance(value, dict) and value:
            rows = ",\n".join(f"  {one(k)}: {one(v)}" for k, v in sorted(value.items()))
            parts.append(f" {one(key)}: {{\n{rows}\n }}")
        else:
            parts.append(f" {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


@dataclass(frozen=True)
class BiolinkModel:
    """The vendored model with the questions the checks ask of it."""

    data: dict[str, Any]

    @property
    def version(self) -> str:
        version: str = self.data["version"]
        return version

    def is_category(self, curie: str) -> bool:
        entry = self.data["categories"].get(curie)
        return entry is not None and not entry["mixin"] and not entry["abstract"]

    @cached_property
    def curies(self) -> Curies:
        """Biolink's own prefix map (KGX files name identifiers with Biolink's prefixes)."""
        return Curies(self.data["prefixes"])

    @cached_property
    def _ancestors(self) -> dict[str, list[str]]:
        table = self.data["categories"]
        return {name: _chain(name, table, mixins=True) for name in table}

    def ancestors(self, curie: str) -> list[str]:
        """The category, its ``is_a`` parents and its mixins (and theirs), nearest first."""
        return self._ancestors.get(curie, [])

    def predicate_ancestors(self, curie: str) -> list[str]:
        return _chain(curie, self.data["predicates"], mixins=False)

    def is_a(self, category: str, other: str) -> bool:
        return other in self.ancestors(category)

    def predicate(self, curie: str) -> dict[str, Any] | None:
        entry: dict[str, Any] | None = self.data["predicates"].get(curie)
        return entry

    def association(self, curie: str) -> dict[str, Any] | None:
        entry: dict[str, Any] | None = self.data["associations"].get(curie)
        return entry

    def multivalued(self, column: str) -> bool | None:
        entry = self.data["slots"].get(column)
        return None if entry is None else entry["multivalued"]


@cache
def load() -> BiolinkModel:
    """The vendored Biolink model shipped inside the package."""
    return BiolinkModel(json.loads(files("smakg").joinpath("data").joinpath(VENDORED).read_text(encoding="utf-8")))
