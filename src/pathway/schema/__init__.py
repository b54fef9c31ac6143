"""The shipped JSON Schemas, generated from formats.py (`python -m pathway.schema` rewrites them)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


def generated() -> dict[str, str]:
    from ..formats import MODEL, SCENARIO
    from ..spec import document_schema

    base = "urn:pathway:schema:"
    out = {}
    for kind, root in (("model", MODEL), ("scenario", SCENARIO)):
        schema = document_schema(root, f"pathway {kind} file", base + kind)
        out[kind] = json.dumps(schema, indent=2) + "\n"
    return out


def write() -> None:
    for kind, text in generated().items():
        (HERE / f"{kind}.schema.json").write_text(text, encoding="utf-8")
        print(f"wrote {kind}.schema.json")
