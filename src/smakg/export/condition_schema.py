"""The JSON Schema (draft 2020-12) of a framed condition document, for integrators who validate what they import
without touching RDF. The build checks every condition document it writes against it and publishes it in dist/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError

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


def errors(document: dict[str, Any], schema: dict[str, Any]) -> list[ValidationError]:
    """Every way a document breaks the schema, in a stable order."""
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return sorted(validator.iter_errors(document), key=lambda e: (e.json_path, e.message))


def condition_documents(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The condition documents of a framed export: the top-level nodes typed ``Condition``."""
    return [n for n in export.get("@graph", []) if "Condition" in n.get("type", [])]


def check_documents(text: str, schema: dict[str, Any], schema_path: Path) -> None:
    """Refuse to publish condition documents that break the published schema."""
    export = json.loads(text)
    docs = condition_documents(export)
    if not docs:
        raise BadInputError("the framed export holds no condition document (no top-level node typed Condition)",
                            hint="check ontology/frames/conditions.frame.jsonld matches \"type\": \"Condition\"")
    for doc in docs:
        found = errors(doc, schema)
        if found:
            first = found[0]
            raise BadInputError(
                f"{schema_path}: the condition document {doc.get('id')} does not match the schema "
                f"({len(found)} error{'s' if len(found) > 1 else ''}); first at {first.json_path}: {first.message}",
                hint="update the schema (or the frame) so the two describe the same document")
