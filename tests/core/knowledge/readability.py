"""Flesch–Kincaid grade level with a small, documented syllable counter (test helper).

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59

(Kincaid, Fishburne, Rogers, Chissom 1975, the formula used by common readability tools.)

Text handling:
- Sentences end at ``.``, ``!`` or ``?`` followed by a space or the end of the text; a text
  field or list item that does not end with one of these is closed as its own sentence. A dot
  inside a number ("2.5") does not end a sentence.
- Words are runs of letters (with inner apostrophes or hyphens) or numbers. A hyphenated word
  counts as one word whose syllables are the sum of its parts.
- Syllables of a word: groups of vowels (a, e, i, o, u, y), minus a silent final "e" (but not
  "-le" after a consonant, as in "table"), minus one for "-ed" after a letter other than t/d
  ("helped"), at least one per word. This is the usual vowel-group heuristic; it is within one
  syllable of the dictionary count for most English words and errs low on some long medical
  terms, which is why the ceiling is applied to whole cards, not single words.
- A number counts one syllable per digit, at most three ("6" → 1, "100" → 3, "1,522" → 3):
  read aloud, numbers are short or long and this keeps them from dominating.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*|\d[\d,.]*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def _silent_final_e(lower: str) -> bool:
    """A final "e" is silent ("whole", "make") unless it ends "-ee", "-ye" or a consonant "-le"."""
    if not lower.endswith("e") or lower.endswith(("ee", "ye")):
        return False
    if lower.endswith("le"):
        return len(lower) > 2 and lower[-3] in "aeiouy"
    return True


def syllables(word: str) -> int:
    """Syllables in one word (see the module notes for the rules)."""
    if word[0].isdigit():
        return min(3, sum(ch.isdigit() for ch in word))
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    lower = word.lower().replace("’", "'").split("'")[0]
    count = len(_VOWEL_GROUP.findall(lower))
    if count > 1 and _silent_final_e(lower):
        count -= 1
    if lower.endswith("ed") and len(lower) > 3 and lower[-3] not in "td" and count > 1:
        count -= 1
    return max(1, count)


def _close(piece: str) -> str:
    piece = piece.strip()
    return piece if piece.endswith((".", "!", "?")) else f"{piece}."


def counts(pieces: Iterable[str]) -> tuple[int, int, int]:
    """(sentences, words, syllables) over the pieces of text, each closed as a sentence."""
    text = " ".join(_close(p) for p in pieces if p.strip())
    sentences = len(_SENTENCE_END.findall(text))
    words = _WORD.findall(text)
    return sentences, len(words), sum(syllables(w) for w in words)


def grade(pieces: Iterable[str]) -> float:
    """Flesch–Kincaid grade of the pieces taken together."""
    sentences, words, sylls = counts(pieces)
    if not sentences or not words:
        return 0.0
    return 0.39 * words / sentences + 11.8 * sylls / words - 15.59
