"""The JSON Schema (draft 2020-12) of a framed condition document, for integrators who validate what they import
without touching RDF. The build checks every condition document it writes against it and publishes it in dist/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError
from jsonschema.protocols import Validator
from referencing.exceptions import Unresolvable

from smakg.errors import BadInputError
from smakg.files import read_text
from smakg.kb.jsonld import load_json


def read_schema(path: Path) -> dict[str, Any]:
    """A draft 2020-12 JSON Schema, itself checked against the metaschema."""
    text = read_text(path)
    try:
        schema = load_json(text, path, "the JSON Schema")
    except json.JSONDecodeError as exc:
        raise BadInputError(f"{path}:{exc.lineno}:{exc.colno}: the JSON Schema is not valid JSON: {exc.msg}",
                            hint="fix the JSON at that line") from None
    if not isinstance(schema, dict):
        raise BadInputError(f"{path}: a JSON Schema must be a JSON object")
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise BadInputError(f"{path}: not a valid draft 2020-12 JSON Schema: {exc.message} "
                            f"(at {exc.json_path})", hint="fix the schema keyword named there") from None
    return schema


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _static_refs(schema: Any, top: bool = True) -> bool:
    """Whether every ``$ref`` of the schema resolves the same wherever it is met: no ``$id`` below the root, no
    ``$dynamicRef`` or ``$recursiveRef``."""
    if isinstance(schema, list):
        return all(_static_refs(v, False) for v in schema)
    if not isinstance(schema, dict):
        return True
    if any(k in schema for k in ("$dynamicRef", "$recursiveRef", "$dynamicAnchor")) or ("$id" in schema and not top):
        return False
    return all(_static_refs(v, False) for v in schema.values())


def _leaf_key(instance: Any) -> Any:
    """A hashable key of a string, or of a small object of strings (a term with its label, a source with its
    title), whose verdict under a static ``$ref`` is the same wherever it is met; None for anything else."""
    if isinstance(instance, str):
        return instance
    if isinstance(instance, dict) and len(instance) <= 4 and all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
            for v in instance.values()):
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in instance.items())
    return None


def validator(schema: dict[str, Any]) -> Validator:
    """A draft 2020-12 validator of the schema. Where ``$ref`` resolves statically, each reference is looked up
    once rather than at every use (the lookup was a third of the check's time), and a string or small object of
    strings found valid under a reference is not checked again under it (the same terms, sources and labels recur
    in every document); the errors are the same, as only valid verdicts are remembered."""
    base = Draft202012Validator
    if not _static_refs(schema):
        return base(schema, format_checker=base.FORMAT_CHECKER)
    resolved: dict[str, Any] = {}
    valid: set[tuple[str, Any]] = set()

    def ref(validator: Any, ref: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
        found = resolved.get(ref)
        if found is None:
            try:
                found = resolved[ref] = validator._resolver.lookup(ref)
            except Unresolvable:
                yield from validator._validate_reference(ref=ref, instance=instance)  # jsonschema's own error
                return
        key = _leaf_key(instance)
        if key is not None and (ref, key) in valid:
            return
        failed = False
        for error in validator.descend(instance, found.contents, resolver=found.resolver):
            failed = True
            yield error
        if key is not None and not failed:
            valid.add((ref, key))

    cls = validators.extend(base, {"$ref": ref})
    made: Validator = cls(schema, format_checker=base.FORMAT_CHECKER)
    return made


def errors(document: dict[str, Any], schema: dict[str, Any], checker: Validator | None = None
           ) -> list[ValidationError]:
    """Every way a document breaks the schema, in a stable order (``checker``: a ``validator`` of it, reused)."""
    checker = checker or validator(schema)
    return sorted(checker.iter_errors(document), key=lambda e: (e.json_path, e.message))


def condition_documents(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The condition documents of a framed export: the top-level nodes typed ``Condition``."""
    return [n for n in export.get("@graph", []) if "Condition" in n.get("type", [])]


def check_documents(export: dict[str, Any], schema: dict[str, Any], schema_path: Path) -> None:
    """Refuse to publish condition documents that break the published schema (``export``: the document the
    export's text is the JSON of)."""
    docs = condition_documents(export)
    if not docs:
        raise BadInputError("the framed export holds no condition document (no top-level node typed Condition)",
                            hint="check ontology/frames/conditions.frame.jsonld matches \"type\": \"Condition\"")
    checker = validator(schema)
    for doc in docs:
        found = errors(doc, schema, checker)
        if found:
            first = found[0]
            raise BadInputError(
                f"{schema_path}: the condition document {doc.get('id')} does not match the schema "
                f"({len(found)} error{'s' if len(found) > 1 else ''}); first at {first.json_path}: {first.message}",
                hint="update the schema (or the frame) so the two describe the same document")
