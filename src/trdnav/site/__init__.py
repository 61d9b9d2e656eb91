"""The Django project: settings from the environment, URLs and the WSGI/ASGI entry points."""
