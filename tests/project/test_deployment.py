"""Going live without Docker in CI: compose.yaml is valid against the Compose file schema and runs
the image's entry point, `openraa serve`, which runs here for real under gunicorn; `check --deploy`
is clean with a production environment; logs keep no query string; every setting read from the
environment is in the README."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from django.core.management import call_command, get_commands

from openraa import gunicorn_config

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "fixtures" / "compose-spec" / "compose-spec.json"
NAME = "Zebediah"  # a child's name, as a search would put it in a query string

PRODUCTION = {
    "OPENRAA_SECRET_KEY": "k9Fv2mQ7xL4pZ8rT1wY6bN3cH5jD0sG-production-like-key-for-the-check",
    "OPENRAA_ALLOWED_HOSTS": "openraa.example.org",
    "OPENRAA_TLS_PROXY": "1",
}


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The process environment less this suite's settings and database, plus a production one. The
    suite's DJANGO_ variables go too: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright,
    which `check --deploy` rightly refuses in a deployment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENRAA_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    return {**env, **PRODUCTION, "OPENRAA_SQLITE_PATH": str(tmp_path / "openraa.sqlite3"), **extra}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_file_is_valid_against_the_compose_specification():
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_compose())]
    assert errors == []
    # The schema does refuse what is not Compose.
    assert list(validator.iter_errors({"services": {"app": {"image": "x", "commnd": ["serve"]}}}))


def test_compose_runs_the_app_the_worker_postgresql_and_backups_from_the_image_entry_point():
    dockerfile = (ROOT / "Dockerfile").read_text()
    entrypoint = json.loads(re.search(r"^ENTRYPOINT (.+)$", dockerfile, re.M).group(1))
    default = json.loads(re.search(r"^CMD (.+)$", dockerfile, re.M).group(1))
    assert entrypoint == ["openraa"] and default == ["serve"] and "serve" in get_commands()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M) and re.search(r"^USER openraa$", dockerfile, re.M)
    services = _compose()["services"]
    assert services["app"]["command"] == ["serve"]
    assert "/health/" in " ".join(services["app"]["healthcheck"]["test"])
    assert services["worker"]["command"] == ["db_worker"]
    assert "openraa backup " in services["backup"]["command"][0]
    assert services["db"]["image"].startswith("postgres:") and services["db"]["healthcheck"]
    for name in ("app", "worker", "backup"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://") and "OPENRAA_DEBUG" not in environment


@pytest.mark.django_db
def test_serve_migrates_then_hands_over_to_gunicorn_with_the_project_configuration():
    out = StringIO()
    call_command("serve", "--print-command", stdout=out)
    migrated, command = out.getvalue().rstrip().rsplit("\n", 1)
    assert "migrations" in migrated.lower()
    assert command == f"{sys.executable} -m gunicorn --config python:openraa.gunicorn_config"
    out = StringIO()
    call_command("serve", "--print-command", "--no-migrate", stdout=out)
    assert out.getvalue().strip() == command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, **headers: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


def test_the_entry_point_serves_the_health_check_and_logs_no_query_string(tmp_path):
    """`openraa serve` for real (one gunicorn worker, production settings, no database needed by
    the health check): the probe by the server's address is answered, and neither the access log
    nor the error log holds the name searched for, the referrer or the user agent."""
    port = _free_port()
    env = _environment(tmp_path, OPENRAA_BIND=f"127.0.0.1:{port}", OPENRAA_WEB_WORKERS="1")
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "openraa.cli", "serve", "--no-migrate"],
            env=env,
            cwd=tmp_path,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        # Waits for the server to start (a guard against a hang, not a measurement).
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, err.read_text()
            try:
                status = _get(port, f"/health/?q={NAME}", Host="10.0.3.7")
                break
            except OSError:
                assert time.monotonic() < deadline, err.read_text()
                time.sleep(0.5)
        assert status == 200
        headers = {"Host": "openraa.example.org", "X-Forwarded-Proto": "https", "Referer": f"/children/?q={NAME}"}
        assert _get(port, f"/children/?q={NAME}", **headers, **{"User-Agent": NAME}) == 302  # to sign in
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=120)
    logs = out.read_text() + err.read_text()
    assert '"GET /health/" 200' in logs and '"GET /children/"' in logs
    assert NAME not in logs and "?q=" not in logs


def test_gunicorn_error_log_is_redacted(tmp_path):
    from gunicorn.config import Config

    config = Config()
    for name, value in vars(gunicorn_config).items():
        if name in config.settings:
            config.set(name, value)
    config.set("errorlog", str(tmp_path / "error.log"))
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = config.logger_class(config)
    logger.error("Error handling request %s", f"/children/?q={NAME}")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/children/?q={NAME}",
        "PATH_INFO": "/children/",
        "QUERY_STRING": f"q={NAME}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_REFERER": f"/children/?q={NAME}",
        "HTTP_USER_AGENT": NAME,
    }
    logger.access(SimpleNamespace(status="200 OK", sent=10, headers=[]), SimpleNamespace(headers=[]), environ,
                  timedelta(milliseconds=12))  # fmt: skip
    for handler in logger.error_log.handlers + logger.access_log.handlers:
        handler.flush()
    error, access = (tmp_path / "error.log").read_text(), (tmp_path / "access.log").read_text()
    assert "/children/?[redacted]" in error and NAME not in error
    assert '"GET /children/" 200 10 12ms' in access and NAME not in access and "192.0.2.1" not in access


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    def check(**environment: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "openraa.cli", "check", "--deploy", "--fail-level", "WARNING"]
        env = _environment(tmp_path, **environment)
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)

    result = check()
    assert result.returncode == 0, result.stderr
    # Without the TLS proxy nothing redirects to HTTPS, which the check does report.
    plain = check(OPENRAA_TLS_PROXY="0")
    assert plain.returncode != 0 and "security.W008" in plain.stderr


@pytest.mark.django_db  # the sign-in page asks which councils offer single sign-on
def test_the_health_check_answers_a_probe_by_address_which_other_pages_refuse(client, settings):
    settings.ALLOWED_HOSTS = ["openraa.example.org"]
    probe = client.get("/health/", HTTP_HOST="10.0.3.7")
    assert probe.content == b"ok" and probe["Cache-Control"] == "no-store"
    assert client.get("/sign-in/", HTTP_HOST="10.0.3.7").status_code == 400
    assert client.get("/sign-in/", HTTP_HOST="openraa.example.org").status_code == 200


def test_every_setting_read_from_the_environment_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    read = {"DATABASE_URL"}  # dj_database_url.config() reads it
    for module in (ROOT / "openraa").rglob("*.py"):
        read |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"(OPENRAA_[A-Z0-9_]+)\"", module.read_text()))
    assert {"OPENRAA_SECRET_KEY", "OPENRAA_BIND", "OPENRAA_CACHE_DIR"} <= read
    assert sorted(name for name in read if f"`{name}" not in readme) == []
