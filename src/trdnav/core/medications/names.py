"""How a typed medication name is matched to a drug id.

Matching is case-insensitive after trimming; runs of spaces, hyphens and underscores count as one
space, curly apostrophes as straight ones. If the name is still unknown, trailing salt and
release words ("hydrochloride", "sulfate", "xl", …) are dropped one at a time, and the first
shorter name that is known wins. Nothing else is guessed: no spelling correction, no prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SALT_AND_RELEASE_WORDS = frozenset(
    {
        "hydrochloride",
        "hcl",
        "dihydrochloride",
        "hydrobromide",
        "sulfate",
        "sulphate",
        "succinate",
        "maleate",
        "mesylate",
        "mesilate",
        "tartrate",
        "fumarate",
        "citrate",
        "carbonate",
        "sodium",
        "potassium",
        "besylate",
        "besilate",
        "oxalate",
        "bromide",
        "phosphate",
        "acetate",
        "er",
        "xr",
        "sr",
        "xl",
        "cr",
        "la",
        "ir",
        "mr",
        "cd",
        "odt",
    }
)
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(name: str) -> str:
    """Lower case, trimmed, one space between words, straight apostrophes."""
    folded = name.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return _SEPARATORS.sub(" ", folded).strip()


def resolve(name: str, names: Mapping[str, str]) -> str | None:
    """The drug id a typed name means, or None when it is not recognised."""
    words = normalise(name).split(" ")
    while words and words[0]:
        found = names.get(" ".join(words))
        if found is not None:
            return found
        if len(words) == 1 or words[-1] not in SALT_AND_RELEASE_WORDS:
            return None
        words = words[:-1]
    return None
