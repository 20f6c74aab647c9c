"""The sort orders the protocol expects: ICU collation through DuckDB's built-in ICU where
ICU has a tailoring for the language, and otherwise the order the working group agreed.

DuckDB's ICU knows ``se`` (Northern Sámi), ``smn`` (Inari Sámi), ``fi``, ``nb`` and ``ru``;
it has no tailoring for Lule Sámi (``smj``), South Sámi (``sma``), Skolt Sámi (``sms``) or
Kven (``fkv``), so for those the protocol gives ``AGREED_ORDERS`` and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import duckdb

from tender_files.language_kit.letters import (
    LANGUAGES,
    NORWEGIAN_COLLATION,
    NORWEGIAN_SORT,
    Language,
)

# The sort orders for the languages ICU has no tailoring for. They are decisions, not
# computed: the order a vendor's system must give for these titles. What stands here is the
# kit's proposal, following the rules below; the working group confirms or changes it here
# before the kit goes to vendors, and the protocol gives it as the agreed order. The rules:
# - Lule Sámi (Norwegian usage): á its own letter after a, ń its own letter after n; æ (= ä),
#   ø (= ö), å last, as in Norwegian.
# - South Sámi (Norwegian usage): ï sorts as i (after i only when all else is equal); æ (= ä),
#   ø (= ö), å last; "aa" is two a's, not å.
# - Skolt Sámi: the Skolt alphabet a â b c č ʒ ǯ d đ e f g ǧ ǥ h i j k ǩ l m n ŋ o õ p r s š
#   t u v z ž å ä; the prime ʹ is ignored.
# - Kven: š its own letter after s, ž after z, then ä and ö last; "aa" is two a's.
AGREED_ORDERS: dict[str, tuple[str, ...]] = {
    "smj": ("Ahka", "Ájluokta", "Bierge", "Båtsoj", "Nuorra", "Ńuoras", "Vuolle", "Æjgát",
            "Øvdås", "Åhpe"),
    "sma": ("Aajege", "Giele", "Gïele", "Zoe", "Æjkoe", "Ørnie", "Öörehke", "Åarjel"),
    "sms": ("Cuõkk", "Čuäʹlm", "Ʒeʹnn", "Ǯiõll", "Dââʹmm", "Đuâlnjah", "Gåʹdd", "Ǧeʹrjj",
            "Ǥǥoʹrrâ", "Kuäʹcc", "Ǩiõll", "Ŋuõʹll", "Oʹmmʹ", "Õõutâ", "Šâddâ", "Žäʹrr",
            "Åʹrrje", "Ääʹrm"),
    "fkv": ("Aapa", "Olka", "Saari", "Šaakki", "Tyä", "Zeta", "Žanna", "Äiti", "Öljy"),
}  # fmt: skip


@dataclass(frozen=True)
class SortOrder:
    """The expected order of a sort check: the words in order, and where it comes from:
    ``collation`` names the ICU collation (DuckDB ``COLLATE``), None for an agreed order."""

    key: str  # the language code, or "nob" for Norwegian Bokmål
    words: tuple[str, ...]
    collation: str | None

    @property
    def from_icu(self) -> bool:
        """Whether ICU gave the order (else the working group agreed it)."""
        return self.collation is not None


def icu_order(
    words: Sequence[str], collation: str, con: duckdb.DuckDBPyConnection | None = None
) -> tuple[str, ...]:
    """``words`` in the order DuckDB's ICU collation ``collation`` gives (``ORDER BY w
    COLLATE collation``; ties in the order given), on ``con`` or a connection of its own."""
    if not collation.isalnum():
        raise ValueError(f"not a collation name: {collation!r}")
    if con is None:
        with duckdb.connect() as own:
            return icu_order(words, collation, own)
    rows = con.execute(
        f"SELECT w FROM unnest(?) WITH ORDINALITY AS t(w, n) ORDER BY w COLLATE {collation}, n",
        [list(words)],
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def expected_order(language: Language, con: duckdb.DuckDBPyConnection | None = None) -> SortOrder:
    """The order the protocol expects for a language's sort words."""
    if language.collation is not None:
        words = icu_order(language.sort_words, language.collation, con)
        return SortOrder(language.code, words, language.collation)
    agreed = AGREED_ORDERS[language.code]
    if sorted(agreed) != sorted(language.sort_words):
        raise ValueError(f"the agreed order for {language.code} has other words than the kit")
    return SortOrder(language.code, agreed, None)


@lru_cache(maxsize=1)
def expected_orders() -> tuple[SortOrder, ...]:
    """Every sort check's order: one per language, then Norwegian Bokmål's shelves."""
    with duckdb.connect() as con:
        orders = [expected_order(language, con) for language in LANGUAGES]
        norwegian = icu_order(NORWEGIAN_SORT, NORWEGIAN_COLLATION, con)
    return (*orders, SortOrder("nob", norwegian, NORWEGIAN_COLLATION))
