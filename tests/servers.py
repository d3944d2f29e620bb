"""Real servers for the tests that need them: gunicorn app servers with the production
settings, a throwaway PostgreSQL cluster, Redis, and a small cookie-keeping HTTP client.

Every server is a context manager that stops what it started, whatever happens; every
wait is bounded and fails with what the server printed.
"""

import contextlib
import http.cookiejar
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "tests-only-" + secrets.token_urlsafe(40)
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
START_TIMEOUT = 30
COMMAND_TIMEOUT = 180


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production app server on loopback, plain HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on loopback: the cookies must travel without TLS.
        DJANGO_SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Runs ``manage.py args`` in a subprocess; fails the test with its output if it fails."""
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"manage.py {args[0]} did not finish within {COMMAND_TIMEOUT} s", pytrace=False)
    if done.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)[:200]} failed (exit {done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}",
            pytrace=False,
        )
    return done.stdout


def collect_static(target: Path) -> None:
    """collectstatic into ``target``, as a deployment does before starting gunicorn."""
    env = production_env("sqlite:///:memory:", DJANGO_STATIC_ROOT=str(target))
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


# What a deployment does not ship, or what each server makes for itself.
NOT_DEPLOYED = {
    ".venv", ".git", ".ci", "var", "staticfiles", "tests", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "db.sqlite3",
}  # fmt: skip


def deploy_copy(target: Path) -> Path:
    """A copy of the project as one app server's own disk: nothing written there is shared."""
    shutil.copytree(
        BASE_DIR,
        target,
        ignore=lambda folder, names: [
            name for name in names if name in NOT_DEPLOYED or name.endswith(".sqlite3")
        ],
    )
    return target


def redis_url() -> str:
    """REDIS_TEST_URL (CI) or Redis database 15 on loopback; fails clearly when unreachable."""
    url = os.environ.get("REDIS_TEST_URL") or DEFAULT_REDIS_URL
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"These tests need Redis at {url} (set REDIS_TEST_URL to use another) but it "
            f"cannot be reached: {exc}. Run `scripts/ensure-redis` (as root it installs "
            "Debian's redis-server; it starts Redis when it is not running).",
            pytrace=False,
        )
    return url


class AppServer:
    """``gunicorn rightsnet.wsgi:application`` on a free loopback port.

    It runs the project in ``project`` (the checkout itself unless given a copy).
    """

    def __init__(
        self,
        env: dict[str, str],
        log_dir: Path,
        name: str,
        workers: int = 1,
        project: Path = BASE_DIR,
    ):
        self.env = env
        self.project = project
        self.name = name
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def __enter__(self):
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "rightsnet.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.workers),
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                ],  # fmt: skip
                cwd=self.project,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not port_open(self.port):
                if self.process.poll() is not None:
                    pytest.fail(
                        f"gunicorn {self.name} exited at start (code {self.process.returncode}):"
                        f"\n{self.log()}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"gunicorn {self.name} did not listen on port {self.port} within "
                        f"{START_TIMEOUT} s:\n{self.log()}",
                        pytrace=False,
                    )
                time.sleep(0.1)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<Response {self.status}, {len(self.text)} characters>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client for several servers on 127.0.0.1 (cookies ignore ports)."""

    def __init__(self, language: str = "ru"):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.language = language

    def cookie(self, name: str) -> str:
        for cookie in self.cookies:
            if cookie.name == name:
                return cookie.value
        raise AssertionError(f"no {name} cookie")

    def request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(url, data=data, headers=headers or {})
        request.add_header("Accept-Language", self.language)
        try:
            with self.opener.open(request, timeout=30) as reply:
                return Response(reply.status, _headers(reply), reply.read().decode())
        except urllib.error.HTTPError as reply:
            return Response(reply.code, _headers(reply), reply.read().decode(errors="replace"))

    def get(self, url: str) -> Response:
        return self.request(url)

    def post(self, url: str, fields, files: dict | None = None) -> Response:
        """A form POST (``fields``: a dict or name/value pairs) with the CSRF token;
        ``files`` maps a field to (file name, bytes)."""
        pairs = list(fields.items() if isinstance(fields, dict) else fields)
        pairs.append(("csrfmiddlewaretoken", self.cookie("csrftoken")))
        headers = {"Referer": url}
        if files:
            boundary = "----rightsnet" + secrets.token_hex(8)
            body = _multipart(pairs, files, boundary)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(pairs).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(url, body, headers)

    def log_in(self, server: AppServer, admin_path: str, username: str, password: str):
        login_url = f"{server.url}/{admin_path}login/"
        page = self.get(login_url)
        assert page.status == 200, f"{login_url} answered {page.status}"
        reply = self.post(
            login_url, {"username": username, "password": password, "next": f"/{admin_path}"}
        )
        assert reply.status == 302, f"logging in as {username} failed ({reply.status})"


def _headers(reply) -> dict[str, str]:
    return {name.lower(): value for name, value in reply.headers.items()}


def _multipart(fields: list[tuple[str, str]], files: dict, boundary: str) -> bytes:
    parts = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


class FormFields(HTMLParser):
    """What a browser would submit from the form with ``form_id``: every named field."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_value: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_value.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            values = self._select_value
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]
            self.fields.extend((self._select, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    assert parser.fields, f"no form #{form_id} with fields on the page"
    return parser.fields


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb) in a temporary folder, on a free port.

    PostgreSQL refuses to run as root, so as root its commands run as the ``postgres``
    user (Debian's packages create it) in a folder that user owns.
    """

    def __init__(self):
        self.bin = _postgres_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="rightsnet-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        self.as_root = os.geteuid() == 0
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, timeout: int = 60) -> None:
        if self.as_root:
            command = ("runuser", "-u", "postgres", "--", *command)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{' '.join(command)} did not finish within {timeout} s", pytrace=False)
        if done.returncode != 0:
            log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
            pytest.fail(
                f"{' '.join(command)} failed (exit {done.returncode}):\n"
                f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}\n{log[-3000:]}",
                pytrace=False,
            )

    def __enter__(self):
        try:
            if self.as_root:
                try:
                    shutil.chown(self.folder, user="postgres", group="postgres")
                except LookupError:
                    pytest.fail(
                        "Running as root, the throwaway PostgreSQL cluster needs the "
                        "'postgres' user (Debian's postgresql package creates it).",
                        pytrace=False,
                    )
            self._run(
                str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
            )  # fmt: skip
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path),
            "-o", options, "-w", "-t", str(START_TIMEOUT), "start",
        )  # fmt: skip
        self.running = True

    def stop(self) -> None:
        """Stops at once, as a crash or a lost database server would."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.running = False

    def __exit__(self, *exc_info):
        try:
            if self.running:
                with contextlib.suppress(BaseException):
                    self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _postgres_bin() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    pytest.fail(
        "This test starts its own PostgreSQL cluster and needs PostgreSQL's server "
        "programs (initdb, pg_ctl), found neither in /usr/lib/postgresql/*/bin nor on PATH. "
        "Run `scripts/ensure-postgresql` as root (installs Debian's postgresql) or "
        "`apt-get install postgresql`.",
        pytrace=False,
    )
