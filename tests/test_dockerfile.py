"""What the Dockerfile and compose.yaml promise, read from the files (no Docker engine here to
build the image: this is the check we can make)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|API_KEY", re.IGNORECASE)
# What a Telegram token looks like: digits, a colon, 35 characters.
TOKEN_VALUE = re.compile(r"\b\d{6,}:[A-Za-z0-9_-]{30,}\b")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, args = (pending + line).partition(" ")
        result.append((keyword.upper(), args.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def service() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    bot: dict[str, Any] = compose["services"]["bot"]
    bot["_volumes"] = compose.get("volumes") or {}
    return bot


def args_of(dockerfile: list[tuple[str, str]], keyword: str) -> list[str]:
    return [args for kw, args in dockerfile if kw == keyword]


def env_of(dockerfile: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in args_of(dockerfile, "ENV"):
        for pair in shlex.split(args):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def test_dockerfile_runs_the_bot_as_a_user_that_is_not_root(
    dockerfile: list[tuple[str, str]],
) -> None:
    keywords = [kw for kw, _ in dockerfile]
    users = args_of(dockerfile, "USER")
    assert users, "no USER: the bot would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in ("root", "0") and group not in ("root", "0")
    # The last USER comes before the command, so the command runs as that user.
    last_user = max(i for i, kw in enumerate(keywords) if kw == "USER")
    assert keywords.index("CMD") > last_user


def test_dockerfile_healthcheck_asks_the_bots_listener_with_pythons_urllib(
    dockerfile: list[tuple[str, str]],
) -> None:
    (healthcheck,) = args_of(dockerfile, "HEALTHCHECK")
    assert "CMD" in healthcheck and "NONE" not in healthcheck.split()
    assert "http://127.0.0.1:8080/healthz" in healthcheck
    assert "urllib.request" in healthcheck
    assert not re.search(r"\b(curl|wget)\b", healthcheck)
    assert re.search(r"--timeout=\d+s", healthcheck)
    # The listener the check asks is on, where the check asks it.
    assert env_of(dockerfile)["CONFBOT_LISTEN"] == "0.0.0.0:8080"
    assert "8080" in args_of(dockerfile, "EXPOSE")


def test_dockerfile_installs_the_lock_with_hashes_then_the_project_without_dependencies(
    dockerfile: list[tuple[str, str]],
) -> None:
    installs = [args for args in args_of(dockerfile, "RUN") if "pip install" in args]
    assert len(installs) == 2
    locked, project = installs
    assert "--require-hashes" in locked.split()
    assert "-r requirements/production.txt" in locked
    assert "--no-deps" in project.split()
    assert "requirements/production.txt" in " ".join(args_of(dockerfile, "COPY"))
    # No other way for an unpinned package to come in.
    runs = " ".join(args_of(dockerfile, "RUN"))
    assert "pip install --upgrade" not in runs and "apt-get install" not in runs


def test_dockerfile_bakes_in_no_secret(dockerfile: list[tuple[str, str]]) -> None:
    for keyword in ("ENV", "ARG", "LABEL"):
        for args in args_of(dockerfile, keyword):
            assert not SECRET_NAME.search(args), f"{keyword} {args}"
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert not TOKEN_VALUE.search(text)
    for args in args_of(dockerfile, "COPY") + args_of(dockerfile, "ADD"):
        assert ".env" not in args and args.split()[0] not in (".", "./")
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored


def test_dockerfile_keeps_the_database_in_the_data_volume(
    dockerfile: list[tuple[str, str]],
) -> None:
    volumes = [v for args in args_of(dockerfile, "VOLUME") for v in json.loads(args)]
    assert volumes == ["/data"]
    assert env_of(dockerfile)["CONFBOT_DB"].startswith("/data/")


def test_dockerfile_stops_with_sigterm_and_runs_the_bot_in_exec_form(
    dockerfile: list[tuple[str, str]],
) -> None:
    assert args_of(dockerfile, "STOPSIGNAL") == ["SIGTERM"]
    (cmd,) = args_of(dockerfile, "CMD")
    assert json.loads(cmd) == ["python", "-m", "bot", "run"]
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "grace period" in text


def test_compose_publishes_the_port_to_the_host_only(service: dict[str, Any]) -> None:
    assert service["ports"] == ["127.0.0.1:8080:8080"]


def test_compose_takes_the_token_from_an_env_file_that_is_never_committed(
    service: dict[str, Any],
) -> None:
    assert service["env_file"] == ".env"
    environment = service.get("environment") or {}
    assert not any(SECRET_NAME.search(name) for name in environment)
    assert not TOKEN_VALUE.search((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_env_example_has_no_secret_and_every_variable_is_documented() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    pairs = [
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    ]
    names = [name for name, _ in pairs]
    assert "TELEGRAM_BOT_TOKEN" in names
    assert all(value == "" for _, value in pairs), "the example holds values"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in readme, f"{name} is not documented in README"


def test_compose_keeps_the_data_in_a_named_volume_and_restarts(service: dict[str, Any]) -> None:
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in service["volumes"]}
    assert mounts["/data"] in service["_volumes"]
    assert service["environment"]["CONFBOT_DB"].startswith("/data/")
    assert service["restart"] in ("unless-stopped", "always")
    assert service["stop_signal"] == "SIGTERM"
    grace = re.fullmatch(r"(\d+)s", service["stop_grace_period"])
    assert grace is not None and int(grace.group(1)) >= 30
    assert "healthcheck" not in service or not service["healthcheck"].get("disable")
