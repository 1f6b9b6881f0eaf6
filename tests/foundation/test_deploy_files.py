"""The deployment recipes, linted structurally (hadolint is not in Debian; docs/deploy.md has the manual
check): the Dockerfile, docker-compose.yml, .dockerignore, the Procfile and the systemd units."""

from __future__ import annotations

import configparser
import fnmatch
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|API_KEY", re.IGNORECASE)
PINNED_IMAGE = re.compile(r"^[a-z0-9./-]+:(\d+\.\d+(\.\d+)?)[a-z0-9.-]*(@sha256:[0-9a-f]{64})?$")


def dockerfile() -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments and blanks dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        pending = f"{pending} {line}" if pending else line
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        keyword, _, rest = pending.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        pending = ""
    assert not pending, "a continuation line runs off the end of the Dockerfile"
    return instructions


def stages() -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for instruction in dockerfile():
        if instruction[0] == "FROM":
            result.append([])
        assert result, "the Dockerfile must start with FROM"
        result[-1].append(instruction)
    return result


def test_the_dockerfile_builds_wheels_in_one_stage_and_installs_them_in_a_slim_one() -> None:
    build, final = stages()
    for stage in (build, final):
        image = stage[0][1].split()[0]
        assert PINNED_IMAGE.match(image), f"base image {image!r} must be pinned to a version"
        assert "latest" not in image and "slim" in image
    assert build[0][1].endswith(" AS build")
    assert any(kind == "RUN" and "pip wheel" in args and "/wheels" in args for kind, args in build)
    assert ("COPY", "--from=build /wheels /wheels") in final
    install = next(args for kind, args in final if kind == "RUN" and "pip install" in args)
    assert "--no-index" in install and "--find-links=/wheels" in install and "rm -rf /wheels" in install


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck_on_healthz() -> None:
    final = stages()[-1]
    users = [args for kind, args in final if kind == "USER"]
    assert users, "the final stage must switch to a non-root USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), users
    assert any(kind == "RUN" and f"--uid {user}" in args for kind, args in final), "create the user first"
    kinds = [kind for kind, _ in final]
    assert kinds.index("USER") > max(i for i, kind in enumerate(kinds) if kind == "RUN"), (
        "USER after the RUNs"
    )
    [healthcheck] = [args for kind, args in final if kind == "HEALTHCHECK"]
    assert "/healthz" in healthcheck and "--interval=" in healthcheck
    assert ("CMD", '["parley", "serve"]') in final
    assert ("EXPOSE", "3000") in final


def test_the_dockerfile_holds_no_secrets_and_copies_only_what_exists() -> None:
    instructions = dockerfile()
    for kind, args in instructions:
        assert kind != "ADD", "use COPY: ADD fetches URLs and unpacks archives implicitly"
        if kind in ("ENV", "ARG"):
            for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", args):
                assert not SECRET_NAME.search(name), (
                    f"{kind} {name}: secrets come from the environment at run time"
                )
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for kind, args in instructions:
        if kind == "COPY" and not args.startswith("--from"):
            *sources, _target = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
                assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), (
                    f"{source} is ignored"
                )
    for must_ignore in (".env", ".git", ".venv", "*.db"):
        assert must_ignore in ignored, f".dockerignore should keep {must_ignore} out of the build context"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_runs_postgres_release_web_and_clock_in_order() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "release", "web", "clock"}
    assert services["release"]["command"] == ["parley", "db", "upgrade"]
    assert services["release"]["restart"] == "no"
    assert services["web"]["command"] == ["parley", "serve"]
    assert services["clock"]["command"] == ["parley", "scheduler"]
    for name in ("web", "clock"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["release"]["condition"] == "service_completed_successfully"
    assert services["release"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("release", "web", "clock"):
        assert services[name]["build"] == "."
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://parley:")
        assert "@postgres:5432/parley" in services[name]["environment"]["DATABASE_URL"]


def test_compose_health_checks() -> None:
    services = compose()["services"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    port = services["clock"]["environment"]["PARLEY_METRICS_PORT"]
    assert f"127.0.0.1:{port}/metrics" in " ".join(services["clock"]["healthcheck"]["test"])
    assert services["clock"]["environment"]["PARLEY_METRICS_HOST"] == "0.0.0.0"  # reachable in the network
    assert services["release"]["healthcheck"] == {"disable": True}
    image = services["postgres"]["image"]
    assert PINNED_IMAGE.match(image) and "latest" not in image


def environment_values(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return {str(k): str(v) for k, v in env.items()}


def test_compose_takes_every_secret_from_the_environment() -> None:
    for name, service in compose()["services"].items():
        for key, item in environment_values(service).items():
            if SECRET_NAME.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", item), f"{name}.{key} must be ${{…}}"
            passwords = re.findall(r"//[^:/@]+:([^@]+)@", item)
            for password in passwords:
                assert password.startswith("${"), f"{name}.{key} holds a literal password"
    example = (ROOT / "docs/deploy/parley.env.example").read_text()
    needed = set(re.findall(r"\$\{([A-Z_]+):\?", (ROOT / "docker-compose.yml").read_text()))
    assert needed == {"POSTGRES_PASSWORD", "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"}
    for variable in needed:
        assert re.search(rf"^{variable}=$", example, re.MULTILINE), f"the example .env lacks {variable}"


def test_the_procfile_runs_the_three_processes() -> None:
    entries = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()
    )
    assert entries == {"release": "parley db upgrade", "web": "parley serve", "clock": "parley scheduler"}


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("parley-migrate.service", "parley db upgrade"),
        ("parley-web.service", "parley serve"),
        ("parley-clock.service", "parley scheduler"),
    ],
)
def test_the_systemd_units(unit: str, command: str) -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string((ROOT / "docs/deploy" / unit).read_text())
    assert set(parser.sections()) == {"Unit", "Service", "Install"}
    service = parser["Service"]
    assert service["ExecStart"].startswith("/opt/parley/venv/bin/") and service["ExecStart"].endswith(
        command if command != "parley serve" else "--port 3000"
    )
    assert command in service["ExecStart"]
    assert service["User"] == "parley" and service["Group"] == "parley"
    assert service["EnvironmentFile"] == "/etc/parley/parley.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    if unit == "parley-migrate.service":
        assert service["Type"] == "oneshot" and service["RemainAfterExit"] == "yes"
    else:
        assert "parley-migrate.service" in parser["Unit"]["Requires"]
        assert "parley-migrate.service" in parser["Unit"]["After"]
        assert service["Restart"] == "on-failure"


def test_docs_deploy_walks_all_three_and_names_the_manual_lint() -> None:
    text = (ROOT / "docs/deploy.md").read_text()
    for heading in (
        "## Heroku-style platforms (Procfile)",
        "## Docker Compose (one host)",
        "## A plain VM with systemd",
    ):
        assert heading in text
    assert "hadolint Dockerfile" in text
    for unit in ("parley-migrate.service", "parley-web.service", "parley-clock.service"):
        assert unit in text
