"""``trdnav demo`` and ``trdnav serve``: run the web application."""

from __future__ import annotations

import os
from pathlib import Path

import typer

DEFAULT_HOST = "127.0.0.1"


def _start_django(environment: str | None = None) -> None:
    if environment:
        os.environ.setdefault("TRDNAV_ENV", environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trdnav.site.settings")
    import django

    django.setup()


def _ensure_data_dir() -> None:
    from django.conf import settings

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)


def _serve(host: str, port: int, threads: int) -> None:
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
    _start_django("demo")
    _ensure_data_dir()
    from django.conf import settings
    from django.core.management import call_command

    from trdnav.demo import load_demo_data

    database = Path(str(settings.DATABASES["default"]["NAME"]))
    if reset and database.exists():
        database.unlink()
    call_command("migrate", interactive=False, verbosity=0)
    from django.utils import timezone

    logins = load_demo_data(progress=typer.echo, as_of=timezone.localdate())
    typer.echo("\nDemo logins (demo data only; never use these passwords elsewhere):")
    for login in logins:
        typer.echo(f"  {login.role:<13} {login.username:<20} password: {login.password}")
    if not no_serve:
        _serve(DEFAULT_HOST, port, threads=8)


def serve(
    host: str = typer.Option(DEFAULT_HOST, help="Address to bind."),
    port: int = typer.Option(8000, help="Port to serve on."),
    threads: int = typer.Option(8, help="Worker threads."),
) -> None:
    """Serve an existing, migrated database (configured by the environment)."""
    _start_django()
    _serve(host, port, threads)


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(serve)
