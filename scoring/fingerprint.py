"""A fingerprint of a plain data structure: SHA-256 of its canonical JSON.

Canonical means: keys sorted, no spaces, text in Unicode NFC, every number written as a
float (so 3 and 3.0 give the same fingerprint), tuples as lists. The same structure gives
the same fingerprint on every machine, and anyone can recompute it from the JSON with
``sha256sum``.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections.abc import Mapping
from typing import Any

SHORT_LENGTH = 12


def _normalise(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"cannot fingerprint a non-finite number: {value!r}")
        return number
    if isinstance(value, Mapping):
        return {str(_normalise(str(k))): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    if hasattr(value, "item"):  # a numpy scalar
        return _normalise(value.item())
    raise TypeError(f"cannot fingerprint a value of type {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """The one JSON text of a structure of dicts, lists, text, numbers, booleans and None."""
    return json.dumps(
        _normalise(value),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def sha256_hex(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes, as 64 hexadecimal digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(value: Any) -> str:
    """SHA-256 of the canonical JSON of a structure."""
    return sha256_hex(canonical_json(value))


def short(fingerprint_hex: str) -> str:
    """The first twelve hexadecimal digits: enough to tell fingerprints apart by eye."""
    return fingerprint_hex[:SHORT_LENGTH]
