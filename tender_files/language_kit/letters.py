"""The languages the county serves first, with their special letters and the words the
language test kit builds its records and checks from.

The titles, authors and subjects are test data: words of each language where they are
common knowledge (language and place names), otherwise made up to carry the letters. Every
record also carries a letter line (245 $b) with each special letter in upper and lower case,
so that the display check reads every letter in one place.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from store.errors import N_

# Letters that naive accent stripping (NFD, then drop the combining marks) leaves alone,
# each with what search folding should make of it.
FOLD_ALSO = {
    "đ": "d", "Đ": "D", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T",
    "ʒ": "z", "Ʒ": "Z", "ǥ": "g", "Ǥ": "G", "ʹ": "",
}  # fmt: skip


@dataclass(frozen=True)
class Language:
    """One language of the kit.

    ``code`` goes into 008/35-37 and 041 $a; ``in_marc_list`` is False for a code that is
    ISO 639-3 only (Kven), which 041 then marks with ``$2 iso639-3`` and 008 gives the
    MARC group code ``field_008``. ``collation`` is DuckDB's ICU collation for the language,
    None where ICU has no tailoring (the working group's agreed order stands instead).
    ``exact`` is a word of the record that holds letters search must keep apart; ``nfd``
    a word whose letters decompose under NFD. ``sort_words`` are the titles of the records
    the sort check orders.
    """

    code: str
    name: str  # message id (English), translated where shown
    letters: str  # the special letters, lower case
    title: str
    author: str
    subjects: tuple[str, ...]
    exact: str
    nfd: str
    sort_words: tuple[str, ...]
    collation: str | None = None
    in_marc_list: bool = True
    field_008: str = ""

    @property
    def all_letters(self) -> str:
        """The special letters in lower and upper case (a letter without case once)."""
        return "".join(dict.fromkeys(ch for c in self.letters for ch in (c, c.upper())))

    @property
    def letter_line(self) -> str:
        """Each special letter as capital and small, e.g. ``Áá Čč``."""
        return " ".join(dict.fromkeys(c.upper() + c if c.upper() != c else c for c in self.letters))

    @property
    def code_008(self) -> str:
        """The code for 008/35-37."""
        return self.field_008 or self.code


def fold(text: str) -> str:
    """What naive search folding makes of a text: NFD, combining marks dropped, and the
    letters that do not decompose mapped to their base letters (``FOLD_ALSO``). It conflates
    й with и and ё with е: the defect LANG-11 guards against in Russian."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", "".join(FOLD_ALSO.get(c, c) for c in stripped))


# The names of the kit's languages (message ids, translated where shown).
NAMES = {
    "sme": N_("Northern Sámi"),
    "smj": N_("Lule Sámi"),
    "sma": N_("South Sámi"),
    "smn": N_("Inari Sámi"),
    "sms": N_("Skolt Sámi"),
    "fkv": N_("Kven"),
    "fin": N_("Finnish"),
    "rus": N_("Russian"),
}

# The kit's languages as data: a block a language, a line a field (``field: value``, the
# fields of ``Language``); an indented line goes on with the field above. Subjects are
# separated by " / " (a subject may have spaces), sort words by spaces.
KIT = """
code: sme
letters: áčđŋšŧž
title: Čuovga đuoddariin – Porsáŋgu, Kárášjohka ja Guovdageaidnu
author: Ŧuoŧŧa, Ánde Ŋ.
subjects: Sámegiella / Đuoddarat / Šaldi / Žiŋŋu
exact: đuoddariin
nfd: Čuovga
sort_words: Čáhci Cealkka Dálvi Đuoddar Eana Šaldi Suolu Ŧuođđu Tundra Žiŋŋu Zoavddis
    Ámmát Ahkku
collation: se

code: smj
letters: áåäńæø
title: Julevsámegiella Ájluoktan ja Árran
author: Ńuoras, Åsllat Ä.
subjects: Julevsámegiella / Ájluokta / Ælla / Øvdås
exact: Ájluoktan
nfd: Julevsámegiella
sort_words: Ájluokta Ahka Båtsoj Bierge Ńuoras Nuorra Æjgát Åhpe Øvdås Vuolle

code: sma
letters: åäöïæø
title: Åarjelsaemien gïele Snåasesne
author: Ïjjen, Änna Ø.
subjects: Åarjelsaemien gïele / Snåase / Æjkoe / Öörehke
exact: gïele
nfd: Snåasesne
sort_words: Gïele Giele Åarjel Aajege Æjkoe Öörehke Ørnie Zoe

code: smn
letters: âáäčđŋšž
title: Anarâškielâ Aanaarist – čuđe ŋuolgâ
author: Đuáári, Âlmos Čä.
subjects: Anarâškielâ / Šiljo / Žuárvi / Ŋuolgâ / Ávkká / Äijih
exact: ŋuolgâ
nfd: Anarâškielâ
sort_words: Ávkká Aanaar Âlmos Čuđe Cuovâ Äijih Ŋuolgâ Nuorâ Šiljo Sieidi Žuárvi
collation: smn

code: sms
letters: âčʒǯđǧǥǩŋõšžåäʹ
title: Nuõrttsääʹmǩiõll Čeʹvetjääuʹrest
author: Ǧeʹrjjõõzz, Ǥǥoʹrrâ Ǯ.
subjects: Ǩiõlltiõđ / Âʹvv / Ʒeʹnn / Đuâlnjah / Ŋuõʹll / Õõutâ / Šâddâ / Žäʹrr / Åʹrrje / Ääʹrm /
    Ǯiõll
exact: Ǩiõlltiõđ
nfd: Nuõrttsääʹmǩiõll
sort_words: Čuäʹlm Cuõkk Ʒeʹnn Ǯiõll Đuâlnjah Dââʹmm Ǧeʹrjj Ǥǥoʹrrâ Gåʹdd Ǩiõll Kuäʹcc
    Ŋuõʹll Õõutâ Oʹmmʹ Šâddâ Žäʹrr Åʹrrje Ääʹrm

code: fkv
letters: äöšž
title: Kväänin kieli ja Pyssyjoki
author: Šöörinki, Žanna Ä.
subjects: Kväänin kieli / Ööliö / Šaakki / Ärjy
exact: Kväänin
nfd: Šöörinki
sort_words: Äiti Aapa Öljy Olka Šaakki Saari Žanna Zeta Tyä
in_marc_list: no
field_008: fiu

code: fin
letters: äöåšž
title: Kielen äänet ja sävyt Ruijassa
author: Öhman, Äänis Å.
subjects: Suomen kieli / Äidinkieli / Šakki / Žurnalismi / Örkki
exact: äänet
nfd: sävyt
sort_words: Äiti Aapa Öljy Olka Åbo Yö Zeta Vesi Wallin
collation: fi

code: rus
letters: еёий
title: Мой край и ёлки у реки
author: Ёлкина, Ирина Йосифовна
subjects: Европейский Север / Ёлки / Йод
exact: Мой
nfd: ёлки
sort_words: Йод Иод Ёж Еж Жук Кот Ель Икра
collation: ru
"""


def parse_languages(text: str) -> tuple[Language, ...]:
    """The languages written in ``text`` (the form of ``KIT``)."""
    languages = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        name = ""
        for line in block.splitlines():
            if line.startswith(" "):
                fields[name] += " " + line.strip()
            else:
                name, value = line.split(": ", 1)
                fields[name] = value
        code = fields["code"]
        languages.append(
            Language(
                code=code,
                name=NAMES[code],
                letters=fields["letters"],
                title=fields["title"],
                author=fields["author"],
                subjects=tuple(fields["subjects"].split(" / ")),
                exact=fields["exact"],
                nfd=fields["nfd"],
                sort_words=tuple(fields["sort_words"].split()),
                collation=fields.get("collation"),
                in_marc_list=fields.get("in_marc_list", "yes") == "yes",
                field_008=fields.get("field_008", ""),
            )
        )
    return tuple(languages)


LANGUAGES: tuple[Language, ...] = parse_languages(KIT)

BY_CODE = {language.code: language for language in LANGUAGES}

# Norwegian Bokmål: the sort order of the county's own shelves, with "aa" as "å".
NORWEGIAN_SORT = ("Aasen", "Ålesund", "Zahl", "Berg", "Ærø", "Øst", "Abel")
NORWEGIAN_COLLATION = "nb"
