"""The canonical JSON and its SHA-256, against hashlib run on a hand-written text."""

from __future__ import annotations

import hashlib
import unicodedata

import numpy as np
import pytest

from scoring.fingerprint import canonical_json, fingerprint, short


def test_canonical_json_sorts_keys_drops_spaces_and_writes_numbers_as_floats():
    value = {"b": [1, 2.5, True, None], "a": {"y": "Ŧ", "x": (3,)}}
    text = '{"a":{"x":[3.0],"y":"Ŧ"},"b":[1.0,2.5,true,null]}'
    assert canonical_json(value) == text
    assert fingerprint(value) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_same_model_gives_the_same_fingerprint_however_it_is_written():
    nfd = unicodedata.normalize("NFD", "Sámi čđŋšŧž")
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    assert fingerprint({"t": nfd, "w": 3}) == fingerprint({"w": 3.0, "t": nfc})
    assert fingerprint({"w": np.float64(0.25)}) == fingerprint({"w": 0.25})


def test_any_change_changes_the_fingerprint():
    base = {"weights": {"price": 30.0, "quality": 40.0}}
    changed = {"weights": {"price": 30.000001, "quality": 40.0}}
    assert fingerprint(base) != fingerprint(changed)
    assert len(fingerprint(base)) == 64 and short(fingerprint(base)) == fingerprint(base)[:12]


def test_values_that_cannot_be_written_are_refused():
    with pytest.raises(ValueError):
        canonical_json({"w": float("nan")})
    with pytest.raises(TypeError):
        canonical_json({"w": object()})
