"""The demo clinic's people, generated deterministically: the same seed and ``as_of`` always
give the same patients. The last records are the shared personas (``trdnav.demo.personas``).
Names are invented; any likeness to a real person is chance."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from trdnav.demo.personas import PERSONAS, Persona

SEED = 20240501
PATIENT_COUNT = 30

GIVEN_NAMES = (
    "Ada", "Ben", "Cleo", "Dev", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonah", "Kaia",
    "Luca", "Mira", "Nils", "Orla", "Pavel", "Quinn", "Rosa", "Sami", "Tove", "Uma", "Viktor",
    "Wren", "Ximena", "Yusuf", "Zara",
)  # fmt: skip
FAMILY_NAMES = (
    "Abbott", "Brandt", "Castillo", "Dahl", "Eriksen", "Fontaine", "Grady", "Halvorsen",
    "Ibarra", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quist", "Rahman", "Sato", "Thorne", "Ueda", "Varga", "Whitlock", "Yilmaz", "Zeller",
)  # fmt: skip
SEXES = ("female", "male", "female", "male", "other", "")


@dataclass(frozen=True)
class DemoPatient:
    record_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    email: str

    def as_data(self) -> dict[str, object]:
        return {
            "record_number": self.record_number,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "email": self.email,
        }


def _one(rng: random.Random, number: int, name: tuple[str, str], as_of: date) -> DemoPatient:
    given, family = name
    age_days = rng.randint(19 * 365, 78 * 365)
    email = f"{given}.{family}@example.org".lower() if rng.random() < 0.6 else ""
    return DemoPatient(
        record_number=record_number_of(number),
        given_name=given,
        family_name=family,
        date_of_birth=as_of - timedelta(days=age_days),
        sex=rng.choice(SEXES),
        email=email,
    )


def _persona(persona: Persona, number: int, as_of: date) -> DemoPatient:
    given, family = persona.name.split(" ", 1)
    # Born a fixed number of days before the birthday that gives the persona's age on as_of.
    born = date(as_of.year - persona.age - 1, as_of.month, 1) + timedelta(days=number * 11)
    return DemoPatient(
        record_number=record_number_of(number),
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex="",
        email="",
    )


def record_number_of(number: int) -> str:
    return f"DEMO-{number:04d}"


def persona_numbers(count: int = PATIENT_COUNT) -> dict[str, int]:
    """The record number of each persona: the last ``len(PERSONAS)`` of the clinic."""
    first = count - len(PERSONAS) + 1
    return {key: first + i for i, key in enumerate(PERSONAS)}


def demo_patients(
    *, as_of: date, count: int = PATIENT_COUNT, seed: int = SEED
) -> list[DemoPatient]:
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    # Distinct names, so that a demo user can tell the patients apart.
    invented = count - len(PERSONAS)
    names = rng.sample([(g, f) for g in GIVEN_NAMES for f in FAMILY_NAMES], invented)
    people = [_one(rng, number, name, as_of) for number, name in enumerate(names, start=1)]
    numbers = persona_numbers(count)
    return people + [_persona(PERSONAS[key], n, as_of) for key, n in numbers.items()]
