"""Numbers as students write them: "£1,200", "30.4k", "3.5 percent", "twelve percent", working.

``read_amount`` finds the result a student ended on: after a self-correction ("350% wait no
... 250%") the corrected part; after working ("42/1200 x 100 = 3.5%") the number after the last
"=", or a restatement of it in the same sentence ("= 0.9 so 90%"); without an "=", the number
after the last "so" or "which is"; otherwise the last number. Number words
become digits with ``text2num`` (a maintained parser), so "one thousand two hundred pounds"
and "ten percent" read as 1200 and 10.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import alpha2digit

from dialogs.language.words import NUMBER, fold

CORRECTIONS = re.compile(
    r"\b(?:no\s+wait|wait\s+no|wait|actually|i\s+mean|sorry|oops|scratch\s+that|or\s+rather)\b"
)
_RESULT_CUES = re.compile(
    r"=|\b(?:so|which\s+is|thats|gives|giving|makes|equals|answer\s+is|therefore)\b"
)
_FOUND = re.compile(rf"(?P<n>{NUMBER})(?P<unit>\s*(?:percent|per\s*cent|pounds?|quid|gbp))?")
_SCALES = {"k": 1e3, "m": 1e6, "bn": 1e9}


@dataclass(frozen=True)
class Amount:
    """A number read from text: its value, the unit written ("%", "£" or ""), whether the
    student showed working, and every number seen (for diagnosing slips)."""

    value: float
    unit: str
    working: bool
    seen: tuple[float, ...] = ()


def value_of(token: str) -> float | None:
    """The value of one number token ("£1,200" -> 1200, "30.4k" -> 30400, "3.5%" -> 3.5)."""
    cleaned = token.strip().lstrip("£$€").replace(",", "")
    scale = 1.0
    for suffix, factor in _SCALES.items():
        if cleaned.endswith(suffix):
            cleaned, scale = cleaned[: -len(suffix)].strip(), factor
            break
    cleaned = cleaned.rstrip("%").strip().removesuffix("s")
    try:
        return float(cleaned) * scale
    except ValueError:
        return None


def _digits(text: str) -> str:
    """Number words as digits: "three and a half percent" -> "3.5 percent"."""
    text = re.sub(r"\b(a|one)\s+and\s+a\s+half\b", "1.5", text)
    text = re.sub(r"\b(\w+)\s+and\s+a\s+half\b", r"\1 point five", text)
    try:
        return str(alpha2digit(text, "en"))
    except (ValueError, TypeError):
        return text


def _unit(match: re.Match[str], text: str) -> str:
    written = match.group(0)
    if "%" in written or re.search(r"per\s*cent", written):
        return "%"
    if written.lstrip()[:1] in "£$€" or re.search(r"pound|quid|gbp", written):
        return "£"
    return ""


def _result(chosen: str) -> re.Match[str] | None:
    """The number the working in ``chosen`` ends on (see the module docstring)."""
    equals = chosen.rfind("=")
    region = chosen
    if equals >= 0:
        stop = re.search(r"[.!?;](?:\s|$)|\n", chosen[equals:])
        region = chosen[equals + 1 : equals + stop.start() if stop else len(chosen)]
    cues = [c for c in _RESULT_CUES.finditer(region) if c.group() != "="]
    for cue in reversed(cues):
        after = _FOUND.search(region, cue.end())
        if after is not None:
            return after
    found = list(_FOUND.finditer(region))
    if not found:
        return None
    return found[0] if equals >= 0 else found[-1]


def read_amount(text: str) -> Amount | None:
    """The result ``text`` ends on, or None when it holds no number."""
    plain = _digits(fold(text))
    segments = [s for s in CORRECTIONS.split(plain) if _FOUND.search(s)]
    if not segments:
        return None
    chosen = segments[-1]
    match = _result(chosen)
    value = value_of(match["n"]) if match is not None else None
    if match is None or value is None:
        return None
    seen = tuple(v for m in _FOUND.finditer(plain) if (v := value_of(m["n"])) is not None)
    working = "=" in chosen or len(seen) > 1 or bool(re.search(r"[/*x×+]\s*\d", chosen))
    return Amount(value, _unit(match, chosen), working, seen)
