"""JSON Schemas of the content files, generated from the pydantic models.

Editors use them to complete keys, show each field's description and underline mistakes while an
organiser types, before the bot or ``python -m bot check`` ever sees the file.

Write them next to the content::

    python -m bot schema --out content/schemas

then put a first line in each YAML file naming its schema, for editors that run the YAML
language server (VS Code with the Red Hat YAML extension, Neovim, Helix, Zed, JetBrains IDEs)::

    # yaml-language-server: $schema=schemas/sessions.schema.json

The path is relative to the YAML file; a URL works too. ``python -m bot schema`` without ``--out``
prints all five schemas as one JSON object keyed by file name.

The schemas check the shape of one file. Rules across files (a session's room and speakers must
exist, no overlaps, days within the event, unique ids) are only checked by ``python -m bot check``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.content.loader import FILES, OPTIONAL_FILES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Pydantic marks times as ``format: time``, which JSON Schema defines as RFC 3339 (seconds and an
# offset required), so editors would flag every "09:30"; this pattern accepts what the models do.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
# A session's day and times may be left out or written TBA while not known yet (models.TBA).
TBA_TIME_PATTERN = r"^(TBA|([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)$"
TBA_DATE_PATTERN = r"^(TBA|[0-9]{4}-[0-9]{2}-[0-9]{2})$"


def json_schema() -> dict[str, Any]:
    """One JSON Schema per content file, keyed by file name (``"sessions.yaml"``...)."""
    schemas: dict[str, Any] = {}
    for name, model in (*FILES, *OPTIONAL_FILES):
        schema = _relax_times(model.model_json_schema())
        schema = {"$schema": DIALECT, **schema}
        schema["title"] = f"confbot {name}"
        schema.setdefault("description", f"Content file {name} of a confbot event")
        schemas[name] = schema
    return schemas


def write_schemas(out_dir: str | Path) -> list[Path]:
    """Write ``<name>.schema.json`` for each content file into ``out_dir``; return the paths."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, schema in json_schema().items():
        path = directory / f"{Path(name).stem}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    """``python -m bot schema [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m bot schema",
        description="Print the content JSON Schemas, or write one file per content file.",
    )
    parser.add_argument("--out", metavar="DIR", help="write <name>.schema.json files here")
    args = parser.parse_args(argv)
    if args.out is None:
        json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for path in write_schemas(args.out):
        print(path)
    return 0


def _relax_times(node: Any) -> Any:
    if isinstance(node, dict):
        options = node.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
            known = next(o for o in options if o != {"type": "null"})
            if known.get("format") in ("time", "date"):
                pattern = TBA_TIME_PATTERN if known["format"] == "time" else TBA_DATE_PATTERN
                rest = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
                return {**rest, "type": "string", "pattern": pattern}
        if node.get("format") == "time":
            node = {k: v for k, v in node.items() if k != "format"}
            node["pattern"] = TIME_PATTERN
        return {key: _relax_times(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_relax_times(item) for item in node]
    return node
