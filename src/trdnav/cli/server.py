"""Running the web application: ``trdnav demo``, ``serve``, ``migrate`` and ``createadmin``.

The production path (docs/deployment.md): ``trdnav migrate``, ``trdnav createadmin``, then
``trdnav serve`` behind a TLS proxy. ``trdnav demo`` loads public demo accounts and refuses to run
outside the demo and development postures.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import typer

from trdnav.cli.output import database_ready, fail_usage, fail_with
from trdnav.core.errors import FieldError

DEFAULT_HOST = "127.0.0.1"
DEMO_POSTURES = ("demo", "development")
MAX_PASSWORD_FILE_BYTES = 4096


def _start_django(environment: str | None = None) -> None:
    if environment:
        os.environ.setdefault("TRDNAV_ENV", environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trdnav.site.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail_usage("configuration", f"Configuration error: {exc}")


def _ensure_data_dir() -> None:
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)


def _serve_waitress(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from trdnav.site.wsgi import application

    typer.echo(f"Serving TRD Navigator at http://{host}:{port}/  (Ctrl+C to stop)")
    serve(application, host=host, port=port, threads=threads, ident="trdnav")


def demo(
    port: int = typer.Option(8000, help="Port to serve on (127.0.0.1 only)."),
    reset: bool = typer.Option(False, help="Delete the demo database and build it anew."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Prepare the database, do not serve."),
) -> None:
    """Create and migrate the demo SQLite database, load demo data, and serve it."""
    posture = os.environ.get("TRDNAV_ENV") or "demo"
    if posture not in DEMO_POSTURES:
        # The demo creates accounts whose passwords are published in the README.
        fail_usage(
            "TRDNAV_ENV",
            f"trdnav demo refuses to run with TRDNAV_ENV={posture}: it creates accounts with "
            "published passwords. Use TRDNAV_ENV=demo, or see docs/deployment.md for "
            "trdnav migrate and trdnav createadmin.",
        )
    _start_django("demo")
    _ensure_data_dir()
    from django.conf import settings
    from django.core.management import call_command

    from trdnav.demo import load_demo_data

    database = Path(str(settings.DATABASES["default"]["NAME"]))
    if reset and str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from django.utils import timezone

    logins = load_demo_data(progress=typer.echo, as_of=timezone.localdate())
    typer.echo("\nDemo logins (demo data only; never use these passwords elsewhere):")
    for login in logins:
        typer.echo(f"  {login.role:<13} {login.username:<20} password: {login.password}")
    if not no_serve:
        # One command for the demo: background jobs (exports, reminders) run in a thread of
        # this process; production runs ``trdnav worker`` beside the servers instead.
        from trdnav.jobs.worker import start_in_thread

        start_in_thread()
        typer.echo("Background jobs run in this process (production: trdnav worker).")
        _serve_waitress(DEFAULT_HOST, port, threads=8)


def _default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (default: TRDNAV_WORKERS, else 2 × CPUs + 1, ≤ 9)."),
    ] = None,
    threads: Annotated[int, typer.Option(help="Threads per worker process.")] = 4,
    timeout: Annotated[int, typer.Option(help="Seconds before a stuck worker is restarted.")] = 120,
) -> None:
    """Serve an existing, migrated database with several worker processes (gunicorn).

    Forwarded headers (X-Forwarded-Proto/For) are trusted only from TRDNAV_TRUSTED_PROXIES.
    """
    _start_django()
    from django.conf import settings

    from trdnav.site.wsgi import application

    if workers is None:
        raw = os.environ.get("TRDNAV_WORKERS", "")
        if raw and not raw.isdigit():
            fail_usage("TRDNAV_WORKERS", f"TRDNAV_WORKERS={raw!r} is not a number")
        workers = int(raw) if raw else _default_workers()
    if workers < 1 or threads < 1:
        fail_usage("workers", "--workers and --threads must be at least 1")
    if sys.platform == "win32":  # gunicorn is Unix-only; one process with threads instead.
        _serve_waitress(host, port, threads * workers)
        return
    from gunicorn.app.base import BaseApplication

    options: dict[str, Any] = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": timeout,
        "graceful_timeout": 20,
        # The app decides about forwarded headers (trdnav.site.proxy); gunicorn agrees with it.
        "forwarded_allow_ips": ",".join(settings.TRDNAV_TRUSTED_PROXIES) or "",
        "proxy_allow_ips": "",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "trdnav",
        # Django is already set up in this process; every worker inherits it.
        "preload_app": True,
    }

    class TRDNavigator(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    typer.echo(
        f"Serving TRD Navigator at http://{host}:{port}/ with {workers} worker process(es) "
        f"× {threads} threads  (Ctrl+C to stop)"
    )
    # Database connections must not be shared across the fork: close any the set-up opened.
    from django.db import connections

    connections.close_all()
    TRDNavigator().run()


def migrate(
    app_label: Annotated[
        str | None, typer.Argument(help="Only this app (with TARGET: roll back or forward).")
    ] = None,
    target: Annotated[
        str | None, typer.Argument(help="Migration name to move APP_LABEL to, or 'zero'.")
    ] = None,
    plan: Annotated[bool, typer.Option(help="Show what would run, change nothing.")] = False,
) -> None:
    """Create or upgrade the database tables (safe to run again; see docs/deployment.md)."""
    if target is not None and app_label is None:
        fail_usage("target", "TARGET needs APP_LABEL")
    _start_django()
    _ensure_data_dir()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    args = [arg for arg in (app_label, target) if arg is not None]
    try:
        call_command("migrate", *args, interactive=False, plan=plan, verbosity=1)
    except CommandError as exc:
        fail_usage("migrate", f"migrate: {exc}")


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            with password_file.open("rb") as handle:
                data = handle.read(MAX_PASSWORD_FILE_BYTES + 1)
        except OSError as exc:
            fail_usage("password_file", f"cannot read {password_file}: {exc.strerror}")
        if len(data) > MAX_PASSWORD_FILE_BYTES:
            fail_usage("password_file", f"{password_file} is larger than a password file")
        try:
            password = data.decode("utf-8").strip()
        except UnicodeDecodeError:
            fail_usage("password_file", f"{password_file} is not UTF-8 text")
        if not password or "\x00" in password:
            fail_usage("password_file", f"{password_file} holds no usable password")
        return password
    from_env = os.environ.get("TRDNAV_ADMIN_PASSWORD_FILE")
    if from_env:
        return _read_password(Path(from_env))
    if os.environ.get("TRDNAV_ADMIN_PASSWORD"):
        return os.environ["TRDNAV_ADMIN_PASSWORD"]
    if not sys.stdin.isatty():
        fail_usage(
            "password_file", "give the password with --password-file or TRDNAV_ADMIN_PASSWORD_FILE"
        )
    prompted: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return prompted


def createadmin(
    username: Annotated[str, typer.Option(help="Log-in name of the clinic administrator.")],
    email: Annotated[str, typer.Option(help="E-mail address of the administrator.")],
    clinic: Annotated[str, typer.Option(help="Clinic name (created if it does not exist).")],
    clinic_slug: Annotated[
        str | None, typer.Option(help="Short identifier of the clinic (default: from the name).")
    ] = None,
    password_file: Annotated[
        Path | None,
        typer.Option(
            help="File holding the password (else TRDNAV_ADMIN_PASSWORD_FILE or a prompt)."
        ),
    ] = None,
    superuser: Annotated[
        bool, typer.Option(help="Also allow the Django admin site (site administrator).")
    ] = False,
) -> None:
    """Create the first clinic and its administrator (refuses an existing username)."""
    password = _read_password(password_file)
    _start_django()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email
    from django.db import transaction
    from django.utils.text import slugify

    from trdnav.accounts.models import Clinic, Membership, Role, User
    from trdnav.accounts.names import normalise_username
    from trdnav.audit.models import Action
    from trdnav.audit.services import Actor, record_event

    slug = clinic_slug or slugify(clinic)[:60]
    problems: list[str] = []
    try:
        username = normalise_username(username)
    except ValidationError as exc:
        problems.extend(f"username: {message}" for message in exc.messages)
    try:
        validate_email(email)
    except ValidationError:
        problems.append("email: not a valid e-mail address")
    if not clinic.strip() or not slug:
        problems.append("clinic: give a name with letters or digits")
    elif len(clinic.strip()) > 200 or any(unicodedata.category(c).startswith("C") for c in clinic):
        problems.append("clinic: at most 200 characters, no control characters")
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        problems.extend(f"password: {message}" for message in exc.messages)
    if not problems:  # only input that could be stored reaches the database
        with database_ready():
            if User.objects.filter(username__iexact=username).exists():
                problems.append(f"username: {username!r} already exists")
    if problems:
        for problem in problems:
            typer.echo(problem, err=True)
        fail_with([FieldError(*problem.split(": ", 1)) for problem in problems])
    with database_ready(), transaction.atomic():
        the_clinic, _ = Clinic.objects.get_or_create(slug=slug, defaults={"name": clinic.strip()})
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password,
            is_staff=superuser,
            is_superuser=superuser,
        )
        Membership.objects.create(user=user, clinic=the_clinic, role=Role.CLINIC_ADMIN)
        record_event(
            by=Actor(user=None, clinic=the_clinic, via="system"),
            action=Action.CREATE,
            object_type="user",
            object_id=user.pk,
            summary="clinic administrator created with trdnav createadmin",
        )
    typer.echo(f"Created clinic administrator {username!r} of {the_clinic.name!r} ({slug}).")


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(serve)
    app.command()(migrate)
    app.command()(createadmin)
