"""The shared personas live with the demo data (``trdnav.demo.personas``); tests import them
from here."""

from trdnav.demo.personas import (
    GROUP_PERSONAS,
    PERSONAS,
    GroupPersona,
    Persona,
    augment,
    course,
    drug,
)

__all__ = [
    "GROUP_PERSONAS",
    "PERSONAS",
    "GroupPersona",
    "Persona",
    "augment",
    "course",
    "drug",
]
