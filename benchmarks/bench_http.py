"""HTTP under load on loopback, each endpoint against a bare JSON view in the same run.

Run: ``.venv/bin/python benchmarks/bench_http.py [--smoke] [--out DIR] [--seconds S]
[--connections C] [--generator auto|wrk|python]`` (``DATABASE_URL=postgresql://...`` for a new
PostgreSQL database; SQLite in a temporary folder otherwise). It sets the server up as
docs/deployment.md does for production (``TRDNAV_ENV=production``, a secret key file, allowed
host, trusted proxy; ``trdnav migrate``; ``trdnav serve``, i.e. gunicorn with its default
workers and threads), seeds one clinic in bulk (a clinician, an API token, 100 patients with 12
weekly PHQ-9s, one of them with a year of weekly PHQ-9 and MADRS), logs in once over "https"
(the headers a TLS proxy adds, from the trusted address), then drives each endpoint with C
connections for S seconds:

- ``POST /api/v1/patients/{id}/assessments`` (a PHQ-9, a new idempotency key each time; 201);
- ``GET /patients/{id}/`` (the chart page), ``GET /dashboard/``;
- the CDS Hooks ``patient-view`` service, when ``GET /cds-services`` lists one (else the row says
  "not available"), called as an EHR calls it: the server trusts a test issuer
  (``TRDNAV_CDS_ISSUERS`` with an inline JWK Set of an RSA key made for the run), every request
  carries its own RS384-signed JWT (signed before the run, each with a new ``jti``: the service
  refuses a replayed one), and the prefetch is this application's FHIR export of a patient
  given a demo persona's treatment history (``_seed.cds_patient``), so the service reads it,
  matches the record, runs the core and answers the cards (200);

each right after ``GET /healthz`` (the bare view: JSON, no log-in, no audit, one ``SELECT 1``,
through the same middleware and server). It reports requests per second, the ratio to the bare
view measured just before, p50/p99 latency and errors (any unexpected status, connection
error or timeout). Targets for the API: ≥ 50 % of the bare view's throughput, p99 < 50 ms.

The load generator is ``wrk`` (the Debian package) when it is on PATH: written in C, it spends
little of the machine's two cores, which the server needs; otherwise a small Python client with
one keep-alive connection per thread (the JSON names which one ran; its own CPU use lowers
every number, the bare view's most).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

import jwt  # noqa: E402
from _harness import parse_options, print_table, write_report  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from tests.site.live import Client, Server, run_trdnav, scratch_database  # noqa: E402

PUBLIC_HOST = "trd.example.org"
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "Host": PUBLIC_HOST}
USERNAME, PASSWORD = "bench-clinician", "benchmark password 7 long"
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0
CDS = "CDS Hooks patient-view"
CDS_SERVICE_ID = "trdnav-patient-view"  # the id discovery lists (checked when the row is set up)
PHQ9 = {"instrument": "phq9", "answers": {"items": [1, 1, 1, 0, 1, 1, 0, 1, 0]}}
# The test EHR trusted by the benchmark server, and how many signed JWTs are made per second
# of a run: a run faster than this runs out, and each request past the end is a counted error.
EHR_ISSUER, EHR_KID = "https://ehr.bench.invalid", "bench-1"
TOKENS_PER_SECOND = 400


@dataclass
class SignedTokens:
    """The test EHR's key and the JWTs it signs: each run takes a fresh batch, signed before
    the run starts, one per request (``aud`` the endpoint's public URL)."""

    audience: str
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def key_set(self) -> dict[str, Any]:
        public: dict[str, Any] = json.loads(
            jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key())
        )
        return {"keys": [{**public, "kid": EHR_KID, "alg": "RS384", "use": "sig"}]}

    def batch(self, seconds: float) -> list[str]:
        return self.sign(max(100, math.ceil(seconds * TOKENS_PER_SECOND)), seconds)

    def sign(self, count: int, seconds: float = 0) -> list[str]:
        now = int(time.time())
        claims = {
            "iss": EHR_ISSUER,
            "aud": self.audience,
            "iat": now,
            "exp": now + int(seconds) + 300,  # valid for the whole run
        }
        return [
            jwt.encode(
                {**claims, "jti": uuid.uuid4().hex},
                self.key,
                algorithm="RS384",
                headers={"kid": EHR_KID, "typ": "JWT"},
            )
            for _ in range(count)
        ]


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    expect: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None  # JSON; an "idempotency_key" is added per request
    keyed: bool = True  # False: the body is sent as it is
    tokens: SignedTokens | None = None  # a signed JWT per request as the Authorization


@dataclass(frozen=True)
class Site:
    base: str
    env: dict[str, str]
    token: str
    cookie: str
    chart_patient: int
    write_patient: int
    ehr: SignedTokens
    cds_patient: int
    cds_prefetch: dict[str, Any]


# ---------------------------------------------------------------- server set-up


def production_env(workdir: Path, database_url: str) -> dict[str, str]:
    """docs/deployment.md, step 2 (as tests/site/test_deployment.py follows it)."""
    secret = workdir / "secret_key"
    secret.write_text(os.urandom(24).hex())
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRDNAV_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "trdnav.site.settings",
            "TRDNAV_ENV": "production",
            "TRDNAV_SECRET_KEY_FILE": str(secret),
            "DATABASE_URL": database_url,
            "TRDNAV_DATA_DIR": str(workdir),
            "TRDNAV_ALLOWED_HOSTS": PUBLIC_HOST,
            "TRDNAV_CSRF_TRUSTED_ORIGINS": f"https://{PUBLIC_HOST}",
            "TRDNAV_TRUSTED_PROXIES": "127.0.0.1",
            "TRDNAV_SITE_URL": f"https://{PUBLIC_HOST}",
            "TRDNAV_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        }
    )
    return env


SEED = f"""
import json, sys
sys.path.insert(0, {str(BENCH_DIR)!r})
import django
django.setup()
import _seed
print(json.dumps(_seed.seed_server(json.loads(sys.argv[1]))))
"""


def trust_test_ehr(env: dict[str, str], ehr: SignedTokens, identifier_system: str) -> None:
    """docs/configuration.md, ``TRDNAV_CDS_ISSUERS``: the test EHR, for the seeded clinic."""
    issuer = {"iss": EHR_ISSUER, "clinic": "bench", "jwks": ehr.key_set(),
              "patient_identifier_system": identifier_system, "algorithms": ["RS384"]}  # fmt: skip
    env["TRDNAV_CDS_ISSUERS"] = json.dumps([issuer])


def seed(env: dict[str, str], **sizes: int) -> dict[str, Any]:
    options = json.dumps({"username": USERNAME, "password": PASSWORD, **sizes})
    out = subprocess.run(
        [sys.executable, "-c", SEED, options], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def log_in(base: str) -> str:
    client = Client(base, dict(PROXY))
    status, _ = client.login(USERNAME, PASSWORD)
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"log-in through the simulated proxy failed (HTTP {status})")
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def endpoints(site: Site) -> tuple[Endpoint, list[Endpoint | str]]:
    """The bare view, and the measured endpoints (a name alone when not available)."""
    page = {**PROXY, "Cookie": site.cookie}
    api = {**PROXY, "Authorization": f"Bearer {site.token}", "Content-Type": "application/json"}
    today = time.strftime("%Y-%m-%d")
    bare = Endpoint("bare view (/healthz)", "GET", "/healthz", 200, dict(PROXY))
    measured: list[Endpoint | str] = [
        Endpoint(
            "API assessment POST",
            "POST",
            f"/api/v1/patients/{site.write_patient}/assessments",
            201,
            api,
            {**PHQ9, "administered_on": today},
        ),
        Endpoint("chart page", "GET", f"/patients/{site.chart_patient}/", 200, page),
        Endpoint("dashboard", "GET", "/dashboard/", 200, page),
        cds_patient_view(site, api),
    ]
    return bare, measured


def cds_patient_view(site: Site, api: dict[str, str]) -> Endpoint | str:
    """The CDS Hooks ``patient-view`` service if discovery (``GET /cds-services``) lists one,
    else why not (the row then says "not available")."""
    client = Client(site.base, {k: v for k, v in api.items() if k != "Content-Type"})
    status, text = client.get("/cds-services")
    if status != 200:
        return f"discovery answered HTTP {status}"
    try:
        services = json.loads(text).get("services", [])
    except (ValueError, AttributeError):
        return "discovery did not answer JSON"
    service = next((s for s in services if s.get("hook") == "patient-view"), None)
    if service is None:
        return "no patient-view service listed"
    path = f"/cds-services/{service['id']}"
    if site.ehr.audience != f"https://{PUBLIC_HOST}{path}":
        return f"the service is not at {site.ehr.audience}"
    prefetch = site.cds_prefetch
    body = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/bench", "patientId": prefetch["patient"]["id"]},
        "prefetch": {key: prefetch[key] for key in service.get("prefetch", {})},
    }
    headers = {k: v for k, v in api.items() if k != "Authorization"}
    endpoint = Endpoint(CDS, "POST", path, 200, headers, body, keyed=False, tokens=site.ehr)
    check_cds_answers_cards(site, endpoint)
    return endpoint


def check_cds_answers_cards(site: Site, endpoint: Endpoint) -> None:
    """One call first: the measured requests must be the real work (the core run, the TRD
    status card answered, the record matched), not a quick refusal; else the run stops."""
    (token,) = site.ehr.sign(1)
    client = Client(site.base, {**endpoint.headers, "Authorization": f"Bearer {token}"})
    status, text = client.request("POST", endpoint.path, json.dumps(endpoint.body).encode())
    if status != 200:
        raise RuntimeError(f"the CDS service answered HTTP {status}: {text[:300]}")
    cards = json.loads(text).get("cards", [])
    summaries = [str(card.get("summary", "")) for card in cards]
    if not any(summary.startswith("TRD criteria") for summary in summaries):
        raise RuntimeError(f"no TRD status card in the CDS answer: {summaries}")
    patient_page = f"/patients/{site.cds_patient}/"
    links = [link.get("url", "") for card in cards for link in card.get("links", [])]
    if not any(url.endswith(patient_page) for url in links):
        raise RuntimeError("the CDS service did not match the seeded record")


# ---------------------------------------------------------------- load generators


@dataclass
class Measured:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    timeouts: int = 0  # of the errors: no answer within 10 s

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


WRK_SCRIPT = """
local threads = {}
local counter = 0
bad = 0
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
wrk.method = METHOD
wrk.headers = HEADERS
-- With TOKENS, request n of thread t sends token (n - 1) * THREADS + t: each one once.
local function headers_for(n)
  if TOKENS == nil then return nil end
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Authorization"] = "Bearer " .. (TOKENS[(n - 1) * THREADS + id] or "spent")
  return headers
end
if BODY ~= nil then  -- a GET keeps wrk's prepared request
  function request()
    counter = counter + 1
    local key = string.format("%s-%d-%d", RUN, id, counter)
    return wrk.format(nil, nil, headers_for(counter), string.format(BODY, key))
  end
end
function response(status, headers, body)
  if status ~= EXPECT then bad = bad + 1 end
end
function done(summary, latency, requests)
  local unexpected = 0
  for _, thread in ipairs(threads) do unexpected = unexpected + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, " ..
    "\\"timeouts\\": %d, \\"unexpected_status\\": %d, " ..
    "\\"p50_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + unexpected, e.timeout, unexpected,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string literal for this text


def _wrk_threads(connections: int) -> int:
    return min(2, connections)


def wrk_script(endpoint: Endpoint, seconds: float, threads: int) -> str:
    headers = ", ".join(
        f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in endpoint.headers.items()
    )
    body = "nil"
    if endpoint.body is not None:
        # A format string: %s becomes the idempotency key (a literal % is doubled).
        keyed = {**endpoint.body, "idempotency_key": "KEY"} if endpoint.keyed else endpoint.body
        template = json.dumps(keyed).replace("%", "%%")
        body = _lua_string(template.replace('"KEY"', '"%s"'))
    tokens = "nil"
    if endpoint.tokens is not None:
        tokens = "{" + ",\n".join(map(_lua_string, endpoint.tokens.batch(seconds))) + "}"
    preamble = (
        f"METHOD = {_lua_string(endpoint.method)}\nHEADERS = {{{headers}}}\n"
        f"BODY = {body}\nEXPECT = {endpoint.expect}\nRUN = {_lua_string(uuid.uuid4().hex[:12])}\n"
        f"TOKENS = {tokens}\nTHREADS = {threads}\n"
    )
    return preamble + WRK_SCRIPT


def run_wrk(base: str, endpoint: Endpoint, connections: int, seconds: float) -> Measured:
    whole = max(1, round(seconds))  # wrk takes whole seconds
    threads = _wrk_threads(connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(endpoint, whole, threads))
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{whole}s"]
        command += ["--timeout", "10s", "-s", script.name, base + endpoint.path]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return Measured(
        data["requests"],
        data["duration_us"] / 1e6,
        data["errors"],
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        data["timeouts"],
    )


def run_python(base: str, endpoint: Endpoint, connections: int, seconds: float) -> Measured:
    """The fallback: ``connections`` threads, each with one keep-alive connection."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    # Signed before the clock starts; shared by the threads, each token sent once.
    tokens = iter(endpoint.tokens.batch(seconds) if endpoint.tokens is not None else ())

    def headers_for_request() -> dict[str, str]:
        if endpoint.tokens is None:
            return endpoint.headers
        with lock:
            token = next(tokens, "spent")
        return {**endpoint.headers, "Authorization": f"Bearer {token}"}

    stop_at = time.monotonic() + seconds

    def work(number: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        counter, mine, bad = 0, [], 0
        while time.monotonic() < stop_at:
            counter += 1
            body = None
            if endpoint.body is not None:
                key = f"py-{number}-{counter}-{uuid.uuid4().hex[:8]}"
                keyed = (
                    {**endpoint.body, "idempotency_key": key} if endpoint.keyed else endpoint.body
                )
                body = json.dumps(keyed).encode()
            headers = headers_for_request()
            began = time.perf_counter()
            try:
                conn.request(endpoint.method, endpoint.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == endpoint.expect
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
            mine.append(time.perf_counter() - began)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Measured(
        len(latencies), elapsed, errors[0], statistics.median(ordered) * 1000, p99 * 1000
    )


# ---------------------------------------------------------------- the run


def _row(name: str, measured: Measured | None, bare: Measured | None = None) -> dict[str, Any]:
    if measured is None:
        return {"endpoint": name, "status": "not available"}
    row: dict[str, Any] = {
        "endpoint": name,
        "status": "measured",
        "requests": measured.requests,
        "rps": round(measured.rps, 1),
        "bare_rps": None if bare is None else round(bare.rps, 1),
        "ratio_to_bare": None
        if bare is None or not bare.rps
        else round(measured.rps / bare.rps, 3),
        "p50_ms": round(measured.p50_ms, 1),
        "p99_ms": round(measured.p99_ms, 1),
        "errors": measured.errors,
        "timeouts": measured.timeouts,
    }
    return row


def main() -> int:
    options = parse_options(
        __doc__.splitlines()[0],
        seconds={"type": float, "default": None, "help": "seconds per endpoint (default 15)"},
        connections={"type": int, "default": 10, "help": "concurrent connections (10)"},
        workers={"type": int, "default": None, "help": "server workers (default as deployed)"},
        threads={"type": int, "default": 4, "help": "threads per worker (4, as deployed)"},
        generator={
            "choices": ["auto", "wrk", "python"],
            "default": "auto",
            "help": "load generator (auto: wrk when on PATH)",
        },
    )
    smoke = options.smoke
    seconds = options.seconds or (1.0 if smoke else 15.0)
    warm = 0.0 if smoke else 2.0  # the smoke run only checks that it works
    generator = options.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    drive = run_wrk if generator == "wrk" else run_python
    workers = options.workers or min(2 * (os.cpu_count() or 1) + 1, 9)
    sizes = {"patients": 5, "weeks": 2, "chart_weeks": 4} if smoke else {
        "patients": 100, "weeks": 12, "chart_weeks": 52}  # fmt: skip
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="trdnav-bench-http-") as folder:
        workdir = Path(folder)
        with scratch_database(workdir) as url:
            env = production_env(workdir, url)
            run_trdnav(env, "migrate")
            seeded = seed(env, **sizes)
            ehr = SignedTokens(audience=f"https://{PUBLIC_HOST}/cds-services/{CDS_SERVICE_ID}")
            trust_test_ehr(env, ehr, seeded["record_number_system"])
            server = Server(env, workers=workers, threads=options.threads)
            server.start()
            try:
                site = Site(server.base, env, seeded["token"], log_in(server.base),
                            seeded["chart_patient"], seeded["write_patient"], ehr,
                            seeded["cds_patient"], seeded["cds_prefetch"])  # fmt: skip
                bare, measured = endpoints(site)
                for endpoint in measured:
                    if isinstance(endpoint, str):
                        rows.append({**_row(CDS, None), "reason": endpoint})
                        continue
                    if warm:
                        drive(site.base, bare, options.connections, warm)
                        drive(site.base, endpoint, options.connections, warm)
                    baseline = drive(site.base, bare, options.connections, seconds)
                    result = drive(site.base, endpoint, options.connections, seconds)
                    rows.append(_row(bare.name, baseline))
                    rows.append(_row(endpoint.name, result, baseline))
                    print(f"  {endpoint.name}: {result.rps:.0f} req/s vs {baseline.rps:.0f}")
                log_errors = server.errors_in_log()
            finally:
                server.stop()
    database = url.split(":", 1)[0]
    title = (f"HTTP at concurrency {options.connections}, {seconds:g} s each, {generator}, "
             f"gunicorn {workers} workers × {options.threads} threads, {database}")  # fmt: skip
    columns = ["endpoint", "status", "rps", "bare_rps", "ratio_to_bare", "p50_ms", "p99_ms"]
    print_table(title, [*columns, "errors"], rows)
    api = next(r for r in rows if r["endpoint"] == "API assessment POST")
    met = (api["ratio_to_bare"] or 0) >= TARGET_RATIO and api["p99_ms"] < TARGET_P99_MS
    print(f"API target (≥ {TARGET_RATIO:.0%} of bare, p99 < {TARGET_P99_MS:g} ms): "
          f"{'met' if met else 'MISSED'}")  # fmt: skip
    write_report(
        options.out,
        "http",
        smoke=smoke,
        rows=rows,
        database=database,
        generator=generator,
        connections=options.connections,
        seconds=seconds,
        server={"workers": workers, "threads": options.threads, "settings": "production"},
        data=sizes,
        server_log_errors=log_errors[:10],
        target={"api_ratio_at_least": TARGET_RATIO, "api_p99_ms_below": TARGET_P99_MS, "met": met},
    )
    errors = sum(r.get("errors", 0) for r in rows)
    return 1 if errors or log_errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
