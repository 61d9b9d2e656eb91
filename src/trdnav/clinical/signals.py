"""Signals the clinical app sends; the history app listens (clinical never imports it).

``history_changed`` is sent inside the profile's save transaction when the treatment history
changed through the clinical profile, with ``patient``, ``history``, ``by`` and ``as_of``. A
receiver may raise ``InvalidInput`` (paths relative to the profile): nothing is then stored.
"""

from django.dispatch import Signal

history_changed = Signal()
