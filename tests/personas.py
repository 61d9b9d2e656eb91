"""The shared personas live with the demo data (``trdnav.demo.personas``); tests import them
from here."""

from trdnav.demo.personas import PERSONAS, Persona, augment, course, drug

__all__ = ["PERSONAS", "Persona", "augment", "course", "drug"]
