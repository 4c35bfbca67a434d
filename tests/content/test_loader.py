"""The loader: the bundled event loads, and each kind of mistake is reported where it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content import (
    Content,
    ContentError,
    LoadResult,
    Problem,
    load_content,
    load_content_or_raise,
)
from bot.content.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_FILE_NODES
from tests.content.conftest import BUNDLED, Edit

# reg-0's description and tags: with its room above, they tell reg-0 from reg-1.
REG_0_DESCRIPTION = (
    "description:\n"
    '      en: "Collect your badge and conference materials."\n'
    '      fr: "Retirez votre badge et les documents de la conférence."\n'
    "    tags: [registration, badge, pre-conference]"
)


def only_error(result: LoadResult) -> Problem:
    assert result.content is None
    assert len(result.errors) == 1, "\n".join(map(str, result.errors))
    return result.errors[0]


def where(problem: Problem, folder: Path) -> tuple[str, int | None, str]:
    """(file name, line, field) of a problem, the file relative to the content folder."""
    return (Path(problem.file).relative_to(folder).as_posix(), problem.line, problem.field)


# -- the bundled event ---------------------------------------------------------------------


def test_bundled_content_loads_without_errors() -> None:
    result = load_content(BUNDLED)

    assert result.errors == ()
    assert result.ok
    assert isinstance(result.content, Content)
    assert [s.id for s in result.content.sessions][:2] == ["wg-m", "gov-1"]
    assert len(result.content.speakers) == 8
    assert len(result.content.faq) == 15


def test_bundled_content_warns_about_venue_address_todo() -> None:
    result = load_content("content")

    assert (
        Problem(
            "warning",
            "content/venue.yaml",
            6,
            "address",
            "placeholder: TODO: street address of the building (not published on the conference "
            "pages)",
        )
        in result.warnings
    )


def test_bundled_content_warns_about_every_todo_field_and_todo_text() -> None:
    result = load_content(BUNDLED)

    todo_fields = [p for p in result.warnings if p.field.endswith("todo")]
    todo_texts = [p for p in result.warnings if p.message.startswith("placeholder: ")]
    assert (len(todo_fields), len(todo_texts)) == (23, 9)
    assert len(result.warnings) == 32
    assert (
        Problem("warning", str(BUNDLED / "speakers.yaml"), 9, "speakers[0].todo", "todo: short bio")
        in result.warnings
    )
    assert {(p.line, p.field) for p in todo_texts} >= {
        (41, "transport[0].en"),
        (36, "wifi.password"),
    }


def test_problem_str_gives_file_line_field_severity_and_message() -> None:
    problem = Problem(
        "error", "content/sessions.yaml", 42, "sessions[3].end", "end 09:00 is before start 10:00"
    )

    assert str(problem) == (
        "content/sessions.yaml:42: sessions[3].end: error: end 09:00 is before start 10:00"
    )


def test_problem_str_without_line_or_field_omits_them() -> None:
    problem = Problem("error", "content/faq.yaml", None, "", "missing file")

    assert str(problem) == "content/faq.yaml: error: missing file"


def test_load_content_or_raise_returns_content_and_warnings() -> None:
    content, warnings = load_content_or_raise(BUNDLED)

    assert len(content.sessions) == 7
    assert len(warnings) == 32
    assert all(w.severity == "warning" for w in warnings)


def test_load_content_or_raise_raises_with_every_problem(folder: Path, edit: Edit) -> None:
    edit("faq.yaml", "  - id: lunch\n", "  - id: lunch\n    colour: red\n")

    with pytest.raises(ContentError) as raised:
        load_content_or_raise(folder)

    assert [p.field for p in raised.value.problems if p.severity == "error"] == ["faq[1].colour"]
    assert str(raised.value).splitlines()[-1] == str(raised.value.problems[-1])
    assert len(str(raised.value).splitlines()) == len(raised.value.problems) == 33


# -- files and YAML ------------------------------------------------------------------------


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = load_content(tmp_path / "nowhere")

    assert only_error(result).message == "content folder not found"


def test_missing_file_is_an_error_naming_it(folder: Path) -> None:
    (folder / "speakers.yaml").unlink()

    error = only_error(load_content(folder))

    assert (error.file, error.line) == (str(folder / "speakers.yaml"), None)
    assert "speakers.yaml" in error.message


def test_yaml_syntax_error_reports_its_line(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        "    kind: registration\n    day: 2022-07-25",
        "    kind: [registration\n    day: 2022-07-25",
    )

    error = only_error(load_content(folder))

    assert where(error, folder)[0] == "sessions.yaml"
    assert error.line in (65, 66)  # where libyaml notices the unclosed bracket
    assert error.message.startswith("not valid YAML: ")


def test_tab_indentation_is_explained(folder: Path, edit: Edit) -> None:
    edit("faq.yaml", "    tags: [theme]\n", "\ttags: [theme]\n")

    error = only_error(load_content(folder))

    assert (where(error, folder)[:2]) == ("faq.yaml", 115)
    assert "tabs" in error.message


def test_file_that_is_a_list_is_an_error(folder: Path) -> None:
    (folder / "event.yaml").write_text("- id: x\n- name: y\n", encoding="utf-8")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("event.yaml", 1, "")
    assert error.message == "expected keys and values (a mapping), found a list"


def test_empty_file_is_an_error(folder: Path) -> None:
    (folder / "faq.yaml").write_text("# nothing yet\n", encoding="utf-8")

    error = only_error(load_content(folder))

    assert (where(error, folder), error.message) == (("faq.yaml", None, ""), "the file is empty")


def test_duplicate_key_is_an_error_naming_the_first(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", '    end: "14:00"\n', '    end: "14:00"\n    end: "14:30"\n')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 17, "sessions[0].end")
    assert error.message == "key 'end' appears twice (first on line 16); remove one"


# -- one file against its model ------------------------------------------------------------


def test_unknown_key_is_reported_with_allowed_keys(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "    room: auditorium-3\n", "    room: auditorium-3\n    romo: x\n")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 18, "sessions[0].romo")
    assert error.message.startswith("unknown key 'romo' (did you mean 'room'?) (allowed: id, code")


def test_unknown_key_in_nested_object(folder: Path, edit: Edit) -> None:
    edit("venue.yaml", '    name: "Auditorium 3"\n', '    name: "Auditorium 3"\n    seats: 9\n')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("venue.yaml", 23, "rooms[1].seats")
    assert "allowed: id, name, floor, capacity" in error.message


def test_missing_required_field_points_at_its_object(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        '    title:\n      en: "IASIA Board of Management meeting"\n'
        '      fr: "Réunion du Conseil de direction de l\'AIEIA"\n',
        "",
    )

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 30, "sessions[1].title")
    assert error.message == "missing required field 'title'"


def test_wrong_type_is_reported_in_plain_words(folder: Path, edit: Edit) -> None:
    edit(
        "venue.yaml", '    name: "Auditorium 3"\n', '    name: "Auditorium 3"\n    capacity: lots\n'
    )

    error = only_error(load_content(folder))

    assert where(error, folder) == ("venue.yaml", 23, "rooms[1].capacity")
    assert error.message == "'lots' is not a whole number"


def test_number_where_text_expected_asks_for_quotes(folder: Path, edit: Edit) -> None:
    edit("venue.yaml", '    phone: "177"\n', "    phone: 0177\n")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("venue.yaml", 56, "emergency[2].phone")
    assert error.message == "expected text, found a number '0177'; put it in quotes"


def test_invalid_time_is_reported_as_not_a_time(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", 'start: "14:00"\n    end: "17:00"', 'start: "25:00"\n    end: "17:00"')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 37, "sessions[1].start")
    assert error.message == "'25:00' is not a time (use HH:MM, e.g. '09:30')"


def test_unquoted_time_keeps_its_wall_clock_value(folder: Path, edit: Edit) -> None:
    # YAML 1.1 reads 17:00 as the base-60 number 1020; it must still mean five in the afternoon.
    edit("sessions.yaml", 'start: "14:00"\n    end: "17:00"', "start: 14:00\n    end: 17:00")

    content = load_content(folder).content

    assert content is not None
    gov = content.sessions_by_id["gov-1"]
    assert (gov.start, gov.end) == (dt.time(14), dt.time(17))


def test_time_written_as_a_number_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", 'start: "14:00"\n    end: "17:00"', 'start: 1400\n    end: "17:00"')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 37, "sessions[1].start")
    assert "1400 is not a time" in error.message


def test_impossible_date_is_reported_as_not_a_date(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        '    day: 2022-07-24\n    start: "14:00"\n    end: "17:00"',
        '    day: 2022-02-30\n    start: "14:00"\n    end: "17:00"',
    )

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 36, "sessions[1].day")
    assert error.message == "'2022-02-30' is not a date (use YYYY-MM-DD, e.g. 2022-07-25)"


def test_unknown_time_zone_is_an_error(folder: Path, edit: Edit) -> None:
    edit("event.yaml", "timezone: Africa/Casablanca", "timezone: Africa/Rabat")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("event.yaml", 16, "timezone")
    assert error.message == "unknown IANA time zone 'Africa/Rabat'"


def test_unknown_session_kind_lists_the_kinds(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "kind: panel", "kind: talk")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 136, "sessions[6].kind")
    assert error.message.startswith("'talk' is not one of: plenary, ceremony, workshop")


def test_bad_id_explains_the_rule(folder: Path, edit: Edit) -> None:
    edit("faq.yaml", "  - id: lunch", "  - id: Lunch Time")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("faq.yaml", 20, "faq[1].id")
    assert "lower-case letters, digits and '-'" in error.message


def test_empty_list_that_needs_items_is_an_error(folder: Path, edit: Edit) -> None:
    edit(
        "faq.yaml",
        '["certificate of attendance", "do I get a certificate", "attendance letter",\n'
        '                "attestation de présence", "aurai-je une attestation"]',
        "[]",
    )

    error = only_error(load_content(folder))

    assert where(error, folder) == ("faq.yaml", 209, "faq[14].questions")


# -- rules across fields and files ---------------------------------------------------------


def test_session_in_unknown_room_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "room: vip-meeting-room", "room: vip-room")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 39, "sessions[1].room")
    assert error.message.startswith("unknown room 'vip-room' (did you mean 'vip-meeting-room'?)")


def test_unknown_chair_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "chairs: [reddy, maron]", "chairs: [reddy, moron]")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 18, "sessions[0].chairs[1]")
    assert error.message == "unknown speaker 'moron' (did you mean 'maron'?) (not in speakers.yaml)"


def test_unknown_speaker_is_an_error(folder: Path, edit: Edit) -> None:
    edit("speakers.yaml", "  - id: benshams\n", "  - id: ben-shams\n")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 85, "sessions[4].speakers[5]")
    assert error.message.startswith("unknown speaker 'benshams'")


def test_end_before_start_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', 'start: "10:00"\n    end: "09:00"')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 82, "sessions[4].end")
    assert error.message == "end 09:00 is before start 10:00"


def test_end_equal_to_start_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', 'start: "10:00"\n    end: "10:00"')

    error = only_error(load_content(folder))

    assert (error.field, error.message) == (
        "sessions[4].end",
        "end 10:00 is the same as start 10:00",
    )


def test_overlapping_sessions_in_one_room_name_both(folder: Path, edit: Edit) -> None:
    # reg-0 (registration desk, 14:00-18:00 on the 24th) moves into gov-1's room and time.
    edit(
        "sessions.yaml",
        "    room: registration-desk\n    " + REG_0_DESCRIPTION,
        "    room: vip-meeting-room\n    " + REG_0_DESCRIPTION,
    )

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 53, "sessions[2].start")
    assert error.message == (
        "'reg-0' (14:00-18:00) overlaps 'gov-1' (14:00-17:00) in room 'vip-meeting-room' "
        "on 2022-07-24"
    )


def test_touching_sessions_in_one_room_are_fine(folder: Path, edit: Edit) -> None:
    # wg-m ends at 14:00 in auditorium-3; gov-1 moves there and starts at 14:00.
    edit("sessions.yaml", "room: vip-meeting-room", "room: auditorium-3")

    result = load_content(folder)

    assert result.errors == ()


def test_same_time_in_another_room_or_day_is_fine(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        '    day: 2022-07-24\n    start: "13:00"\n    end: "14:00"',
        '    day: 2022-07-25\n    start: "10:00"\n    end: "11:30"',
    )

    assert load_content(folder).errors == ()


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "field", "first"),
    [
        ("sessions.yaml", "  - id: gov-1\n", "  - id: wg-m\n", 30, "sessions[1].id", 8),
        ("speakers.yaml", "  - id: maron\n", "  - id: reddy\n", 10, "speakers[1].id", 5),
        ("faq.yaml", "  - id: theme\n", "  - id: wifi\n", 101, "faq[7].id", 7),
        ("venue.yaml", "  - id: room-tbc\n", "  - id: auditorium-3\n", 31, "rooms[4].id", 21),
    ],
)
def test_duplicate_id_is_an_error_naming_the_first(
    folder: Path, edit: Edit, name: str, old: str, new: str, line: int, field: str, first: int
) -> None:
    edit(name, old, new)

    errors = [p for p in load_content(folder).errors if p.message.startswith("duplicate id")]

    assert [where(p, folder) for p in errors] == [(name, line, field)]
    assert errors[0].message.endswith(f"(first used on line {first})")


def test_session_day_outside_the_event_is_an_error(folder: Path, edit: Edit) -> None:
    # The panel has no day in the bundled content (to be announced); give it one too late.
    edit("sessions.yaml", "    kind: panel\n", "    kind: panel\n    day: 2022-07-30\n")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 137, "sessions[6].day")
    assert error.message == (
        "day 2022-07-30 is outside the event (2022-07-24 to 2022-07-29 in event.yaml)"
    )


def test_event_end_before_start_is_an_error(folder: Path, edit: Edit) -> None:
    edit("event.yaml", "end_date: 2022-07-29", "end_date: 2022-07-20")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("event.yaml", 18, "end_date")
    assert error.message == "end_date 2022-07-20 is before start_date 2022-07-24"


def test_errors_in_several_files_are_all_reported(folder: Path, edit: Edit) -> None:
    edit("event.yaml", "timezone: Africa/Casablanca", "timezone: Mars/Olympus")
    edit("venue.yaml", '    name: "VIP Meeting Room"\n', "")
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', 'start: "10:00"\n    end: "09:00"')
    edit(
        "sessions.yaml",
        "room: room-tbc\n    description:\n      en: >-\n        UN DESA/DPIDG panel",
        "room: nowhere\n    description:\n      en: >-\n        UN DESA/DPIDG panel",
    )
    edit("speakers.yaml", '    name: "Dong Qing"\n', "")
    edit("faq.yaml", "    tags: [theme]\n", "    tags: [theme]\n    tag: oops\n")

    result = load_content(folder)

    assert result.content is None
    assert [where(p, folder) for p in result.errors] == [
        ("event.yaml", 16, "timezone"),
        ("venue.yaml", 24, "rooms[2].name"),
        ("sessions.yaml", 82, "sessions[4].end"),
        ("sessions.yaml", 137, "sessions[6].room"),
        ("speakers.yaml", 17, "speakers[2].name"),
        ("faq.yaml", 116, "faq[7].tag"),
    ]
    assert len(result.warnings) == 32


def test_broken_session_does_not_hide_others_cross_file_errors(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        'title: {en: "Opening Ceremony", fr: "Cérémonie d\'ouverture"}\n',
        'title: ""\n',
    )
    edit("sessions.yaml", "chairs: [dong-qing]", "chairs: [nobody]")

    result = load_content(folder)

    assert [p.field for p in result.errors] == ["sessions[1].chairs[0]", "sessions[4].title"]


def test_thousand_sessions_load(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for name in ("event.yaml", "venue.yaml", "speakers.yaml", "faq.yaml"):
        (folder / name).write_text((BUNDLED / name).read_text(encoding="utf-8"), encoding="utf-8")
    lines = ["sessions:"]
    for n in range(1000):
        day, slot = divmod(n, 10)
        lines += [
            f"  - id: s-{n}",
            f'    title: "Session {n}"',
            "    kind: workshop",
            f"    day: 2022-07-{24 + day % 6}",
            f'    start: "{8 + slot:02d}:{day // 6:02d}"',
            f'    end: "{8 + slot:02d}:{day // 6 + 1:02d}"',
            "    room: main-auditorium",
            "    speakers: [reddy, maron]",
            "    tags: [a, b, c]",
        ]
    (folder / "sessions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = load_content(folder)

    assert result.errors == ()
    assert result.content is not None
    assert len(result.content.sessions) == 1000


def test_faq_answer_with_html_telegram_refuses_is_an_error(folder: Path, edit: Edit) -> None:
    text = (folder / "faq.yaml").read_text(encoding="utf-8")
    line = text[: text.index("Registration is at the <b>")].count("\n") + 1
    edit("faq.yaml", "at the <b>Registration Desk</b>", "at the <b>Registration Desk</i>")

    problem = only_error(load_content(folder))

    assert where(problem, folder)[2] == "faq[2].answer.en"
    assert where(problem, folder)[0] == "faq.yaml"
    assert problem.line is not None and problem.line <= line
    assert "not valid Telegram HTML" in problem.message


def test_faq_answer_with_a_bare_less_than_is_an_error(folder: Path, edit: Edit) -> None:
    edit("faq.yaml", "Certificates of attendance have not", "Certificates <3 have not")

    problem = only_error(load_content(folder))

    assert where(problem, folder)[2] == "faq[14].answer.en"


def test_retention_days_defaults_to_90_when_absent(folder: Path, edit: Edit) -> None:
    edit("event.yaml", "retention_days: 90\n", "")

    content, _ = load_content_or_raise(folder)

    assert content.event.retention_days == 90


@pytest.mark.parametrize("value", ["0", "-5", "soon", "2.5", "true"])
def test_retention_days_must_be_a_positive_whole_number(
    folder: Path, edit: Edit, value: str
) -> None:
    edit("event.yaml", "retention_days: 90\n", f"retention_days: {value}\n")

    error = only_error(load_content(folder))

    assert error.field == "retention_days"


# -- limits: a content file cannot stall or exhaust the loader -----------------------------


def billion_laughs(levels: int = 9, width: int = 15) -> str:
    """sessions.yaml as a 1.5 KB alias bomb: built into data it would be 15**9 strings."""
    lines = ["sessions:", "  - id: lol", "    title: &laugh0 'lol lol lol lol lol'"]
    for level in range(1, levels + 1):
        refs = ", ".join([f"*laugh{level - 1}"] * width)
        lines.append(f"    x{level}: &laugh{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_with_file_and_line(folder: Path) -> None:
    (folder / "sessions.yaml").write_text(billion_laughs(), encoding="utf-8")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 3, "")
    assert error.message.startswith(
        "YAML aliases and anchors are not allowed ('&laugh0'): write the value out in full"
    )


def test_alias_is_refused_at_its_line(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "    chairs: [dong-qing]", "    chairs: *wgm_chairs")
    edit("sessions.yaml", "    chairs: [reddy, maron]", "    chairs: &wgm_chairs [reddy, maron]")

    error = only_error(load_content(folder))

    # The anchor comes first in the file, so it is the one named.
    assert where(error, folder) == ("sessions.yaml", 18, "")
    assert "YAML aliases and anchors are not allowed ('&wgm_chairs')" in error.message


def test_alias_of_an_undefined_anchor_is_refused(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "    chairs: [dong-qing]", "    chairs: *nowhere")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 40, "")
    assert "YAML aliases and anchors are not allowed ('*nowhere')" in error.message


def test_merge_key_with_an_alias_is_refused(folder: Path, edit: Edit) -> None:
    edit("venue.yaml", "\nname:", "\nbase: &base {x: 1}\nmerged:\n  <<: *base\nname:")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("venue.yaml", 5, "")
    assert "YAML aliases and anchors are not allowed ('&base')" in error.message


def test_file_over_the_byte_limit_is_refused(folder: Path) -> None:
    path = folder / "faq.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text.encode()) + 1), encoding="utf-8")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("faq.yaml", None, "")
    assert error.message.startswith(
        f"the file is {MAX_FILE_BYTES + 1:,} bytes; a content file may have at most "
        f"{MAX_FILE_BYTES:,}"
    )


def test_file_with_too_many_values_is_refused(folder: Path) -> None:
    path = folder / "speakers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "many:\n  [" + ",".join(["1"] * MAX_FILE_NODES) + "]\n")
    assert path.stat().st_size < MAX_FILE_BYTES

    error = only_error(load_content(folder))

    assert where(error, folder) == ("speakers.yaml", text.count("\n") + 2, "")
    assert error.message == (
        f"the file has more than {MAX_FILE_NODES:,} values; a content file may have at most"
        " that many"
    )


def test_file_nested_too_deep_is_refused(folder: Path) -> None:
    path = folder / "speakers.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "deep: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("speakers.yaml", text.count("\n") + 1, "")
    assert error.message.startswith(f"nested more than {MAX_DEPTH} levels deep")


def test_bundled_content_is_far_within_the_limits() -> None:
    for path in BUNDLED.glob("*.yaml"):
        assert path.stat().st_size < MAX_FILE_BYTES // 50, path


# -- status and past midnight ------------------------------------------------------------------


def test_cancelled_status_loads_and_defaults_to_confirmed(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "  - id: gov-1\n", "  - id: gov-1\n    status: cancelled\n")

    content = load_content_or_raise(folder)[0]

    assert content.sessions_by_id["gov-1"].cancelled
    assert not content.sessions_by_id["plen-1"].cancelled


def test_unknown_status_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", "  - id: gov-1\n", "  - id: gov-1\n    status: postponed\n")

    error = only_error(load_content(folder))

    assert error.field == "sessions[1].status"


def test_cancelled_session_frees_its_room(folder: Path, edit: Edit) -> None:
    # The same move as the overlap test above, with the moved session cancelled: no error.
    edit(
        "sessions.yaml",
        "    room: registration-desk\n    " + REG_0_DESCRIPTION,
        "    room: vip-meeting-room\n    status: cancelled\n    " + REG_0_DESCRIPTION,
    )

    assert load_content(folder).errors == ()


def test_end_past_midnight_is_the_next_day(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', 'start: "20:00"\n    end: "00:30"')

    content = load_content_or_raise(folder)[0]
    session = content.sessions_by_id["plen-1"]

    assert session.past_midnight
    assert content.ends_at(session) == dt.datetime(2022, 7, 26, 0, 30, tzinfo=content.tz)
    assert content.ends_at(session) - content.starts_at(session) == dt.timedelta(
        hours=4, minutes=30
    )


@pytest.mark.parametrize(
    ("start", "end", "ok"), [("12:00", "00:00", True), ("11:59", "00:00", False)]
)
def test_end_earlier_than_start_is_the_next_day_only_within_twelve_hours(
    folder: Path, edit: Edit, start: str, end: str, ok: bool
) -> None:
    edit("sessions.yaml", 'start: "10:00"\n    end: "11:30"', f'start: "{start}"\n    end: "{end}"')

    result = load_content(folder)

    if ok:
        assert result.errors == ()
    else:
        assert (only_error(result).field, only_error(result).message) == (
            "sessions[4].end",
            f"end {end} is before start {start}",
        )


# -- sessions whose time is to be announced ------------------------------------------------


def test_bundled_workshop_and_panel_have_no_day_or_time() -> None:
    content, _ = load_content_or_raise(BUNDLED)

    for session_id in ("undesa-workshop", "undesa-panel"):
        session = content.sessions_by_id[session_id]
        assert (session.day, session.start, session.end) == (None, None, None)
        assert content.starts_at(session) is None
        assert session.todo is not None and "to be" in session.todo
    assert [s.id for s in content.undated_sessions()] == ["undesa-panel", "undesa-workshop"]


def test_tba_time_is_accepted_written_or_left_out(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", '    start: "14:00"\n    end: "17:00"', "    start: TBA\n    end: TBA")
    edit("sessions.yaml", '    start: "13:00"\n    end: "14:00"\n', "")

    content, _ = load_content_or_raise(folder)

    gov, wg = content.sessions_by_id["gov-1"], content.sessions_by_id["wg-m"]
    assert (gov.day, gov.start, gov.end) == (dt.date(2022, 7, 24), None, None)
    assert (wg.day, wg.start, wg.end) == (dt.date(2022, 7, 24), None, None)
    assert not gov.timed and content.starts_at(gov) is None and content.ends_at(gov) is None
    # Listed on their day after the timed sessions, then the sessions with no day at all.
    day_ids = [s.id for s in content.sessions if s.day == dt.date(2022, 7, 24)]
    assert day_ids[-2:] == ["gov-1", "wg-m"]
    assert [s.id for s in content.sessions][-2:] == ["undesa-panel", "undesa-workshop"]


def test_tba_day_is_accepted(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        '    day: 2022-07-24\n    start: "14:00"\n    end: "17:00"',
        "    day: TBA",
    )

    content, _ = load_content_or_raise(folder)

    gov = content.sessions_by_id["gov-1"]
    assert (gov.day, gov.start, gov.end) == (None, None, None)
    assert gov in content.undated_sessions()


def test_start_without_end_is_an_error(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", '    start: "14:00"\n    end: "17:00"', '    start: "14:00"')

    error = only_error(load_content(folder))

    assert "give both start and end" in error.message


def test_time_without_day_is_an_error(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        '    day: 2022-07-24\n    start: "14:00"\n    end: "17:00"',
        '    start: "14:00"\n    end: "17:00"',
    )

    error = only_error(load_content(folder))

    assert "needs a day" in error.message


# -- people in two places, clock changes ---------------------------------------------------

GOV_1_TIME = 'day: 2022-07-24\n    start: "14:00"\n    end: "17:00"'


def test_chair_in_two_overlapping_sessions_is_an_error_on_the_later(
    folder: Path, edit: Edit
) -> None:
    # gov-1 (chair dong-qing) moves to 11:00-12:00 on the 25th, while dong-qing speaks in plen-1.
    edit("sessions.yaml", GOV_1_TIME, 'day: 2022-07-25\n    start: "11:00"\n    end: "12:00"')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 40, "sessions[1].chairs[0]")
    assert error.message == "chair dong-qing is also in plen-1 (Mon 25 Jul 10:00–11:30)"
    assert str(error).endswith(
        "sessions.yaml:40: sessions[1].chairs[0]: error: chair dong-qing is also in plen-1"
        " (Mon 25 Jul 10:00–11:30)"
    )


def test_speaker_in_a_session_that_starts_during_another_is_named(folder: Path, edit: Edit) -> None:
    # gov-1 moves to 09:00-10:30 on the 25th: plen-1 starts later, so the error is on plen-1.
    edit("sessions.yaml", GOV_1_TIME, 'day: 2022-07-25\n    start: "09:00"\n    end: "10:30"')

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 85, "sessions[4].speakers[4]")
    assert error.message == "speaker dong-qing is also in gov-1 (Mon 25 Jul 09:00–10:30)"


def test_touching_sessions_with_one_speaker_are_fine(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", GOV_1_TIME, 'day: 2022-07-25\n    start: "11:30"\n    end: "12:30"')

    assert load_content(folder).errors == ()


def test_cancelled_session_frees_its_speakers(folder: Path, edit: Edit) -> None:
    edit(
        "sessions.yaml",
        GOV_1_TIME,
        'day: 2022-07-25\n    start: "11:00"\n    end: "12:00"\n    status: cancelled',
    )

    assert load_content(folder).errors == ()


def in_lisbon_on(folder: Path, edit: Edit, day: str) -> None:
    """plen-1 moves to 01:30-03:00 on ``day`` in Europe/Lisbon; the event's dates are stretched
    to include it, since every session day must fall within the event."""
    edit("event.yaml", "timezone: Africa/Casablanca", "timezone: Europe/Lisbon")
    edit("event.yaml", "end_date: 2022-07-29", "end_date: 2026-12-31")
    edit(
        "sessions.yaml",
        'day: 2022-07-25\n    start: "10:00"\n    end: "11:30"',
        f'day: {day}\n    start: "01:30"\n    end: "03:00"',
    )


def test_start_skipped_by_the_clocks_going_forward_is_an_error(folder: Path, edit: Edit) -> None:
    in_lisbon_on(folder, edit, "2026-03-29")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 81, "sessions[4].start")
    assert error.message == (
        "start 01:30 on 2026-03-29 does not exist in Europe/Lisbon: the clocks go forward and "
        "skip 01:00–02:00 that day; pick a time outside the change"
    )


def test_start_repeated_by_the_clocks_going_back_is_an_error(folder: Path, edit: Edit) -> None:
    in_lisbon_on(folder, edit, "2026-10-25")

    error = only_error(load_content(folder))

    assert where(error, folder) == ("sessions.yaml", 81, "sessions[4].start")
    assert error.message == (
        "start 01:30 on 2026-10-25 happens twice in Europe/Lisbon: the clocks go back and "
        "repeat 01:00–02:00 that day, so it is ambiguous; pick a time outside the change"
    )


def test_times_beside_a_clock_change_are_fine(folder: Path, edit: Edit) -> None:
    in_lisbon_on(folder, edit, "2026-03-28")

    assert load_content(folder).errors == ()


# -- sessions that say they may overlap (Session.may_overlap) ---------------------------------

REG_0_INTO_GOV_1_ROOM = (
    "    room: registration-desk\n    " + REG_0_DESCRIPTION,
    "    room: vip-meeting-room\n    " + REG_0_DESCRIPTION,
)


def test_sessions_that_both_may_overlap_share_a_room(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", *REG_0_INTO_GOV_1_ROOM)
    edit("sessions.yaml", "  - id: gov-1\n", "  - id: gov-1\n    may_overlap: true\n")
    edit("sessions.yaml", "  - id: reg-0\n", "  - id: reg-0\n    may_overlap: true\n")

    result = load_content(folder)

    assert result.errors == ()
    assert result.content is not None
    assert result.content.sessions_by_id["gov-1"].may_overlap is True


def test_one_session_that_may_overlap_is_not_enough(folder: Path, edit: Edit) -> None:
    edit("sessions.yaml", *REG_0_INTO_GOV_1_ROOM)
    edit("sessions.yaml", "  - id: reg-0\n", "  - id: reg-0\n    may_overlap: true\n")

    error = only_error(load_content(folder))

    assert error.message == (
        "'reg-0' (14:00-18:00) overlaps 'gov-1' (14:00-17:00) in room 'vip-meeting-room' "
        "on 2022-07-24"
    )


def test_sessions_that_both_may_overlap_share_a_chair(folder: Path, edit: Edit) -> None:
    # As test_chair_in_two_overlapping_sessions_is_an_error_on_the_later, with both marked.
    edit("sessions.yaml", GOV_1_TIME, 'day: 2022-07-25\n    start: "11:00"\n    end: "12:00"')
    edit("sessions.yaml", "  - id: gov-1\n", "  - id: gov-1\n    may_overlap: true\n")
    edit("sessions.yaml", "  - id: plen-1\n", "  - id: plen-1\n    may_overlap: true\n")

    result = load_content(folder)

    assert result.errors == ()
