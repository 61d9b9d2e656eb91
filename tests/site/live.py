"""The real server in a child process, a small HTTP client and a mixed-load driver.

Shared by the concurrency and deployment tests (tests/site), the load measurement
(benchmarks/mixed_load.py) and the crash test (scripts/crash-test). Nothing here uses the test
database of pytest-django: each run prepares its own database through the ``trdnav`` commands,
as an operator would, and checks what was stored by reading that database directly.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
TRDNAV = str(Path(sys.executable).with_name("trdnav"))
DEMO_PASSWORDS = {
    "demo-clinician": "demo-clinician-pass",
    "demo-nurse": "demo-nurse-pass",
    "demo-patient": "demo-patient-pass",
}
HIDDEN_INPUT = re.compile(r"<input[^>]*type=\"hidden\"[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---------------------------------------------------------------- databases


@contextmanager
def scratch_database(workdir: Path) -> Iterator[str]:
    """A new empty database: PostgreSQL when DATABASE_URL points there, else a SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{workdir / 'live.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(base)
    name = f"trdnav_live_{uuid.uuid4().hex[:10]}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(database_url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one read-only query straight on the database (``%s`` placeholders)."""
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path, timeout=30) as conn:
            rows = conn.execute(sql.replace("%s", "?"), params).fetchall()
        conn.close()
        return rows
    import psycopg

    with psycopg.connect(database_url) as pg:
        return list(pg.execute(sql, params).fetchall())


def run_trdnav(env: dict[str, str], *args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(
        [TRDNAV, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"trdnav {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


TOKEN_SCRIPT = """
from trdnav.accounts.models import User
from trdnav.accounts.tokens import issue_token
from trdnav.audit.services import Actor
from trdnav.patients.models import Patient
user = User.objects.get(username="demo-clinician")
_, raw = issue_token(user=user, name="load", by=Actor(user=user, via="system"))
ids = list(Patient.objects.filter(clinic=user.membership.clinic).values_list("pk", flat=True))
mine = Patient.objects.filter(user__username="demo-patient").values_list("pk", flat=True).first()
print(__import__("json").dumps({"token": raw, "patients": ids, "own": mine}))
"""


@dataclass(frozen=True)
class DemoSite:
    env: dict[str, str]
    database_url: str
    token: str
    patients: list[int]


def prepare_demo(workdir: Path, database_url: str, **extra: str) -> DemoSite:
    """Migrate and load the demo clinic (``trdnav demo --no-serve``), then issue an API token."""
    env = {
        **os.environ,
        "TRDNAV_ENV": "demo",
        "TRDNAV_DATA_DIR": str(workdir),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "trdnav.site.settings",
        **extra,
    }
    env.pop("TRDNAV_DEBUG", None)
    run_trdnav(env, "demo", "--no-serve", cwd=workdir)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + TOKEN_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=workdir,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    others = [p for p in data["patients"] if p != data["own"]]
    return DemoSite(env, database_url, data["token"], others)


# ---------------------------------------------------------------- server


class Server:
    """``trdnav serve`` in its own process group (so a crash test can kill every worker)."""

    def __init__(self, env: dict[str, str], *, workers: int = 2, threads: int = 4) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.args = ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.args += ["--threads", str(threads)]
        self.log = Path(env.get("TRDNAV_DATA_DIR", ".")) / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [TRDNAV, *self.args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process.wait()
                raise RuntimeError(f"server exited: {self.log.read_text()[-3000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                allowed = self.env.get("TRDNAV_ALLOWED_HOSTS", "").split(",")[0].strip()
                conn.request("GET", "/healthz", headers={"Host": allowed} if allowed else {})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"server did not answer within {wait} s: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the server and all its workers, as a crash or power cut would."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def errors_in_log(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return [line for line in text.splitlines() if "Traceback" in line or "locked" in line]


# ---------------------------------------------------------------- client


class Client:
    """A browser stand-in: keeps cookies (also ``Secure`` ones), sends CSRF like a browser.

    ``headers`` go on every request, e.g. ``X-Forwarded-Proto: https`` as a TLS proxy sends.
    """

    def __init__(
        self,
        base: str,
        headers: dict[str, str] | None = None,
        timeout: float = 60,
        source: str | None = None,
    ):
        """``source`` is the local address to connect from (another 127.x.y.z, say)."""
        parts = urlsplit(base)
        self.source = (source, 0) if source else None
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = headers or {}
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.last_headers: list[tuple[str, str]] = []

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout, source_address=self.source
        )
        try:
            all_headers = {**self.headers, **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            self.last_headers = response.getheaders()
            for name, value in self.last_headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.last_headers if k.lower() == name.lower()), None)

    def set_cookie_lines(self) -> list[str]:
        return [v for k, v in self.last_headers if k.lower() == "set-cookie"]

    def _origin(self) -> str:
        scheme = self.headers.get("X-Forwarded-Proto", "http")
        host = self.headers.get("Host", f"{self.host}:{self.port}")
        return f"{scheme}://{host}"

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post_form(
        self, path: str, fields: dict[str, str], *, page: str | None = None
    ) -> tuple[int, str]:
        """GET the form (at ``page``, by default ``path``), then POST it to ``path`` with its
        hidden fields (CSRF and any others) and ours."""
        status, page = self.get(page or path)
        if status != 200:
            return status, page
        hidden = {}
        for tag in HIDDEN_INPUT.findall(page):
            attrs = dict(ATTRIBUTE.findall(tag))
            if "name" in attrs:
                hidden[attrs["name"]] = attrs.get("value", "")
        body = urlencode({**hidden, **fields}).encode()
        return self.request(
            "POST",
            path,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self._origin(),
                "Referer": self._origin() + path,
            },
        )

    def login(self, username: str, password: str) -> tuple[int, str]:
        return self.post_form("/accounts/login/", {"username": username, "password": password})

    def api(self, method: str, path: str, token: str, payload: Any = None) -> tuple[int, str]:
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return self.request(method, path, body, headers)


# ---------------------------------------------------------------- mixed load

ORDER = (7, 2, 5, 0, 8, 3, 6, 1, 9, 4)
PHQ9_FORM = {"administered_on": "2026-01-15", **{f"item_{n}": "1" for n in range(1, 9)}}
PHQ9_FORM["item_9"] = "0"


@dataclass
class LoadResult:
    requests: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    acked_keys: dict[str, int] = field(default_factory=dict)  # API key -> patient id
    acked_forms: Counter[int] = field(default_factory=Counter)  # patient id -> HTML saves
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Keep going past the end, up to ``grace`` seconds, until each of these kinds has run once.
    required: frozenset[str] = frozenset()
    grace: float = 0.0

    def saw_every_kind(self) -> bool:
        with self.lock:
            return self.required <= set(self.requests)

    def note(self, kind: str, ok: bool, detail: str, started: float) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.latencies.append(time.monotonic() - started)
            if not ok:
                self.errors.append(f"{kind}: {detail}")

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "requests": sum(self.requests.values()),
            "by_kind": dict(self.requests),
            "errors": len(self.errors),
            "acked_api_writes": len(self.acked_keys),
            "acked_form_writes": sum(self.acked_forms.values()),
            "p50_ms": round(1000 * ordered[len(ordered) // 2]),
            "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]),
        }


def _worker(
    number: int, base: str, site: DemoSite, stop_at: float, result: LoadResult, form_patient: int
) -> None:
    try:
        _work(number, base, site, stop_at, result, form_patient)
    except Exception as exc:  # a crash of the client itself is an error too
        with result.lock:
            result.errors.append(f"client {number} stopped: {type(exc).__name__}: {exc}")


def _work(
    number: int, base: str, site: DemoSite, stop_at: float, result: LoadResult, form_patient: int
) -> None:
    """One simulated person: a clinician browsing and saving forms, an API client, or a patient."""
    rng = random.Random(number)
    client = Client(base)
    role = ("clinician", "api", "patient", "clinician", "api")[number % 5]

    def call(kind: str, expect: tuple[int, ...], fn: Any, *args: Any) -> tuple[int, str]:
        started = time.monotonic()
        try:
            status, text = fn(*args)
        except (OSError, http.client.HTTPException) as exc:
            result.note(kind, False, f"{type(exc).__name__}: {exc}", started)
            return 0, ""
        result.note(kind, status in expect, f"HTTP {status}", started)
        return status, text

    if role in ("clinician", "patient"):
        user = "demo-clinician" if role == "clinician" else "demo-patient"
        call("login", (302,), client.login, user, DEMO_PASSWORDS[user])
    step = 0
    while time.monotonic() < stop_at or (
        not result.saw_every_kind() and time.monotonic() < stop_at + result.grace
    ):
        # Every kind of request comes early and in fixed shares: writes first, then reads.
        choice = ORDER[(step + number) % len(ORDER)] / 10 + 0.05
        step += 1
        patient = rng.choice(site.patients)
        if role == "clinician":
            if choice < 0.1:
                call("login", (302,), Client(base).login, "demo-clinician", "demo-clinician-pass")
            elif choice < 0.35:
                call("dashboard", (200,), client.get, "/dashboard/")
            elif choice < 0.7:
                call("chart", (200,), client.get, f"/patients/{patient}/")
            else:
                status, _ = call(
                    "form_save",
                    (302,),
                    client.post_form,
                    f"/patients/{form_patient}/assessments/new/phq9/",
                    PHQ9_FORM,
                )
                if status == 302:
                    with result.lock:
                        result.acked_forms[form_patient] += 1
        elif role == "api":
            if choice < 0.5:
                call("api_list", (200,), client.api, "GET", "/api/v1/patients?limit=20", site.token)
            elif choice < 0.7:
                call(
                    "api_read", (200,), client.api, "GET", f"/api/v1/patients/{patient}", site.token
                )
            else:
                key = f"load-{number}-{uuid.uuid4().hex}"
                payload = {
                    "instrument": "phq9",
                    "answers": {"items": [1, 1, 1, 0, 1, 1, 0, 1, 0]},
                    "administered_on": "2026-01-15",
                    "idempotency_key": key,
                }
                path = f"/api/v1/patients/{patient}/assessments"
                status, _ = call("api_write", (201,), client.api, "POST", path, site.token, payload)
                if status == 201:
                    with result.lock:
                        result.acked_keys[key] = patient
        else:
            call("portal", (200,), client.get, "/portal/")


KINDS = frozenset(
    {"login", "dashboard", "chart", "form_save", "api_list", "api_read", "api_write", "portal"}
)


def mixed_load(
    base: str, site: DemoSite, *, clients: int, seconds: float, every_kind_within: float = 0.0
) -> LoadResult:
    """``clients`` threads of mixed reads and writes for ``seconds``; every outcome is counted.

    With ``every_kind_within``, the clients go on for up to that many more seconds until every
    kind of request has run at least once (on a busy machine a bounded time may not suffice)."""
    result = LoadResult(required=KINDS if every_kind_within else frozenset())
    result.grace = every_kind_within
    stop_at = time.monotonic() + seconds
    # Each clinician thread saves its forms on a patient of its own, so the stored count of
    # that patient's assessments can be compared with the saves that were acknowledged.
    threads = [
        threading.Thread(
            target=_worker,
            args=(n, base, site, stop_at, result, site.patients[n % len(site.patients)]),
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + every_kind_within + 120)
    return result


def stored_counts(database_url: str, keys: list[str]) -> Counter[str]:
    """How many assessments carry each idempotency key."""
    found: Counter[str] = Counter()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ",".join(["%s"] * len(chunk))
        # Only placeholders are joined in; the keys travel as parameters.
        sql = "SELECT idempotency_key, COUNT(*) FROM assessments_assessment WHERE "
        sql += f"idempotency_key IN ({marks}) GROUP BY idempotency_key"
        for key, count in query(database_url, sql, tuple(chunk)):
            found[key] = count
    return found


def assessment_count(database_url: str, patient: int) -> int:
    sql = "SELECT COUNT(*) FROM assessments_assessment WHERE patient_id = %s"
    rows = query(database_url, sql, (patient,))
    return int(rows[0][0])


def check_writes(
    database_url: str, result: LoadResult, before: dict[int, int], *, crashed: bool = False
) -> list[str]:
    """Every acknowledged write stored exactly once. Without crashes nothing else is stored
    either; after a crash a write may have been committed without its answer arriving, so
    each patient may have more rows than acknowledged, never fewer."""
    problems = []
    keys = list(result.acked_keys)
    found = stored_counts(database_url, keys)
    problems += [f"key {k} stored {found[k]} times" for k in keys if found[k] != 1]
    expected: Counter[int] = Counter(result.acked_forms)
    expected.update(result.acked_keys.values())
    for patient, count in before.items():
        stored = assessment_count(database_url, patient) - count
        if stored < expected[patient] or (not crashed and stored != expected[patient]):
            problems.append(f"patient {patient}: {stored} stored, {expected[patient]} acknowledged")
    return problems
