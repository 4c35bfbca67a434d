"""The JSON Schemas: one per file, strict like the models, and accepting the bundled YAML."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.content.schema import json_schema, main, write_schemas
from tests.content.conftest import BUNDLED

FILE_NAMES = ["event.yaml", "venue.yaml", "sessions.yaml", "speakers.yaml", "faq.yaml"]
# rooms.yaml is optional: the bundled event has none.
SCHEMA_NAMES = [*FILE_NAMES, "rooms.yaml"]


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """The subset of JSON Schema pydantic emits, enough to read YAML as an editor would.

    ``jsonschema`` is not a dependency; this covers $ref, anyOf, type, properties, required,
    additionalProperties, items, enum, const, pattern, minLength, minItems and bounds.
    """
    errors: list[str] = []

    def check(node: dict[str, Any], data: Any, at: str) -> None:
        if "$ref" in node:
            check(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]], data, at)
            return
        if "anyOf" in node:
            if all(_fails(option, data) for option in node["anyOf"]):
                errors.append(f"{at}: matches no option")
            return
        kind = node.get("type")
        types = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "number": (int, float),
            "boolean": bool,
            "null": type(None),
        }
        if kind is not None and (
            not isinstance(data, types[kind]) or (kind != "boolean" and isinstance(data, bool))
        ):
            errors.append(f"{at}: expected {kind}")
            return
        if "enum" in node and data not in node["enum"]:
            errors.append(f"{at}: not in enum")
        if "const" in node and data != node["const"]:
            errors.append(f"{at}: not the constant")
        if isinstance(data, str):
            if "pattern" in node and not re.search(node["pattern"], data):
                errors.append(f"{at}: does not match {node['pattern']}")
            if len(data) < node.get("minLength", 0):
                errors.append(f"{at}: too short")
        if isinstance(data, int | float) and not isinstance(data, bool):
            if "minimum" in node and data < node["minimum"]:
                errors.append(f"{at}: below minimum")
            if "maximum" in node and data > node["maximum"]:
                errors.append(f"{at}: above maximum")
        if isinstance(data, list):
            if len(data) < node.get("minItems", 0):
                errors.append(f"{at}: too few items")
            for index, item in enumerate(data):
                check(node.get("items", {}), item, f"{at}[{index}]")
        if isinstance(data, dict):
            properties = node.get("properties", {})
            for name in node.get("required", []):
                if name not in data:
                    errors.append(f"{at}.{name}: required")
            for name, item in data.items():
                if name in properties:
                    check(properties[name], item, f"{at}.{name}")
                elif node.get("additionalProperties") is False:
                    errors.append(f"{at}.{name}: not allowed")

    def _fails(option: dict[str, Any], data: Any) -> bool:
        before = len(errors)
        check(option, data, "")
        failed = len(errors) > before
        del errors[before:]
        return failed

    check(schema, value, "$")
    return errors


def as_editor_reads(name: str, folder: Path = BUNDLED) -> Any:
    """YAML as the YAML language server sees it (1.2 core schema): dates are plain strings."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(yaml.safe_load((folder / name).read_text(encoding="utf-8")))


def test_json_schema_has_one_schema_per_file() -> None:
    schemas = json_schema()

    assert list(schemas) == SCHEMA_NAMES
    assert all(s["$schema"].startswith("https://json-schema.org/") for s in schemas.values())
    assert schemas["sessions.yaml"]["title"] == "confbot sessions.yaml"


@pytest.mark.parametrize("name", FILE_NAMES)
def test_json_schema_accepts_the_bundled_file(name: str) -> None:
    assert schema_errors(json_schema()[name], as_editor_reads(name)) == []


def test_json_schema_rejects_unknown_key_and_bad_time() -> None:
    data = as_editor_reads("sessions.yaml")
    data["sessions"][0]["romo"] = "x"
    data["sessions"][1]["start"] = "25:00"
    del data["sessions"][2]["title"]

    assert schema_errors(json_schema()["sessions.yaml"], data) == [
        "$.sessions[0].romo: not allowed",
        "$.sessions[1].start: does not match ^(TBA|([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)$",
        "$.sessions[2].title: required",
    ]


def test_json_schema_forbids_unknown_keys_everywhere() -> None:
    for name, schema in json_schema().items():
        objects = [schema, *schema.get("$defs", {}).values()]
        objects = [o for o in objects if o.get("type") == "object"]
        assert len(objects) >= 1
        assert all(o.get("additionalProperties") is False for o in objects), name


def test_json_schema_session_has_required_fields_and_descriptions() -> None:
    session = json_schema()["sessions.yaml"]["$defs"]["Session"]

    # day, start and end may be left out while to be announced.
    # room too: an online session needs none.
    assert session["required"] == ["id", "title", "kind"]
    assert session["properties"]["end"]["description"] == (
        "End time, HH:MM, after start (TBA with start); sessions in one room must not overlap."
    )
    assert "format" not in session["properties"]["start"]


def test_write_schemas_writes_one_file_per_content_file(tmp_path: Path) -> None:
    paths = write_schemas(tmp_path / "schemas")

    assert [p.name for p in paths] == [
        "event.schema.json",
        "venue.schema.json",
        "sessions.schema.json",
        "speakers.schema.json",
        "faq.schema.json",
        "rooms.schema.json",
    ]
    written = json.loads((tmp_path / "schemas" / "faq.schema.json").read_text(encoding="utf-8"))
    assert written == json_schema()["faq.yaml"]


def test_schema_main_without_out_prints_combined_json(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([])

    assert status == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


def test_schema_main_with_out_prints_written_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--out", str(tmp_path)])

    assert status == 0
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / f"{Path(n).stem}.schema.json") for n in SCHEMA_NAMES
    ]
