"""The language test kit: its MARC records keep every letter, the NFD variants really are
NFD, Kven is coded through 041 $2 iso639-3, the protocol's sort orders are what DuckDB's ICU
gives (computed here on a plain connection), and the protocol is written in both languages."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from contextlib import closing

import duckdb
import pymarc
import pytest
from openpyxl import load_workbook

from tender_files import language_kit
from tender_files.language_kit import collation, protocol, records
from tender_files.language_kit.letters import BY_CODE, LANGUAGES

# Every special letter of DOMAIN.md's languages, written out by hand, capitals included.
DOMAIN_LETTERS = {
    "sme": "áčđŋšŧžÁČĐŊŠŦŽ",
    "smj": "áåäńæøÁÅÄŃÆØ",
    "sma": "åäöïæøÅÄÖÏÆØ",
    "rus": "йиёеЙИЁЕ",
}


def read_mrc(data: bytes) -> dict[str, pymarc.Record]:
    found = pymarc.MARCReader(data, to_unicode=True, force_utf8=True)
    return {r["001"].data: r for r in found}


def read_xml(data: bytes) -> dict[str, pymarc.Record]:
    return {r["001"].data: r for r in pymarc.parse_xml_to_array(io.BytesIO(data))}


def texts(record: pymarc.Record) -> list[str]:
    """Every subfield's text of the title, author and subject fields, in order."""
    return [s.value for f in record.get_fields("100", "245", "650") for s in f.subfields]


@pytest.fixture(scope="module")
def made() -> list[pymarc.Record]:
    return records.all_records()


@pytest.mark.parametrize("read", [read_mrc, read_xml], ids=["mrc", "marcxml"])
@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_the_records_read_back_keep_every_letter_byte_for_byte(made, read, language):
    data = records.to_marc21(made) if read is read_mrc else records.to_marcxml(made)
    back = read(data)
    nfc = back[f"bibvalg-{language.code}-nfc"]
    # The record as written by hand in letters.py, each text in NFC.
    written = [
        unicodedata.normalize("NFC", t)
        for t in (
            language.author,
            language.title + " :",
            language.letter_line,
            *language.subjects,
        )
    ]
    assert [t.encode("utf-8") for t in texts(nfc)] == [t.encode("utf-8") for t in written]
    used = "".join(texts(nfc))
    missing = [c for c in language.all_letters if c not in used]
    assert not missing, missing
    for letter in DOMAIN_LETTERS.get(language.code, ""):
        assert letter in used


@pytest.mark.parametrize("language", LANGUAGES, ids=[lang.code for lang in LANGUAGES])
def test_the_nfd_variant_differs_in_bytes_and_equals_the_nfc_one_once_normalised(made, language):
    back = read_mrc(records.to_marc21(made))
    nfc = texts(back[f"bibvalg-{language.code}-nfc"])
    nfd = texts(back[f"bibvalg-{language.code}-nfd"])
    assert nfd != nfc
    assert "".join(nfd).encode("utf-8") != "".join(nfc).encode("utf-8")
    assert all(unicodedata.is_normalized("NFD", t) for t in nfd)
    assert [unicodedata.normalize("NFC", t) for t in nfd] == nfc


def test_the_records_carry_language_codes_and_kven_through_iso639_3(made):
    back = read_mrc(records.to_marc21(made))
    assert back["bibvalg-sme-nfc"]["008"].data[35:38] == "sme"
    assert back["bibvalg-sme-nfc"]["041"].get_subfields("a") == ["sme"]
    kven = back["bibvalg-fkv-nfc"]["041"]
    assert kven.indicators[1] == "7"
    assert kven.get_subfields("a") == ["fkv"] and kven.get_subfields("2") == ["iso639-3"]
    codes = {r["001"].data.split("-")[1]: r["041"].get_subfields("a")[0] for r in back.values()}
    assert set(codes.values()) == {"sme", "smj", "sma", "smn", "sms", "fkv", "fin", "rus", "nob"}
    for record in back.values():
        assert record.leader[9] == "a"  # UTF-8


def test_the_cyrillic_record_has_both_й_and_и_and_its_folded_twin_conflates_them(made):
    back = read_mrc(records.to_marc21(made))
    title = back["bibvalg-rus-nfc"]["245"]["a"]
    assert "й" in title and "и" in title
    assert back["bibvalg-rus-folded"]["245"]["a"] == "Мои краи и елки у реки :"


def independent_icu_order(words, collation_name):
    with closing(duckdb.connect()) as con:
        con.execute("CREATE TABLE w (word VARCHAR)")
        con.executemany("INSERT INTO w VALUES (?)", [(w,) for w in words])
        return [
            r[0]
            for r in con.execute(
                f"SELECT word FROM w ORDER BY word COLLATE {collation_name}"
            ).fetchall()
        ]


def test_every_order_the_protocol_takes_from_icu_is_duckdbs_icu_order():
    claimed = [o for o in collation.expected_orders() if o.from_icu]
    assert {o.collation for o in claimed} == {"se", "smn", "fi", "ru", "nb"}
    for order in claimed:
        assert list(order.words) == independent_icu_order(order.words, order.collation), order.key


def test_icu_orders_follow_domain_rules():
    """By hand: Northern Sámi puts d<đ<e and s<š<t and t<ŧ<u; Norwegian sorts aa as å."""
    sme = collation.expected_order(BY_CODE["sme"]).words
    assert sme.index("Dálvi") < sme.index("Đuoddar") < sme.index("Eana")
    assert sme.index("Suolu") < sme.index("Šaldi") < sme.index("Tundra") < sme.index("Ŧuođđu")
    nob = next(o for o in collation.expected_orders() if o.key == "nob").words
    assert nob[-2:] == ("Ålesund", "Aasen")
    rus = collation.expected_order(BY_CODE["rus"]).words
    assert rus.index("Иод") < rus.index("Йод")


def test_lule_and_south_sami_orders_are_the_working_groups_and_the_protocol_says_so():
    for code in ("smj", "sma"):
        order = collation.expected_order(BY_CODE[code])
        assert not order.from_icu
        assert order.words == collation.AGREED_ORDERS[code]
    smj = collation.AGREED_ORDERS["smj"]
    assert smj.index("Nuorra") + 1 == smj.index("Ńuoras")  # ń its own letter after n
    assert collation.AGREED_ORDERS["sma"][0] == "Aajege"  # aa is not å in South Sámi
    rows = {r.id: r for r in protocol.protocol_rows("en")}
    assert "agreed" in rows["smj-sort"].source and "no tailoring" in rows["sma-sort"].source
    assert rows["sme-sort"].source == "ICU collation “se” (DuckDB's built-in ICU)"
    assert "Ahka, Ájluokta, Bierge, Båtsoj, Nuorra, Ńuoras" in rows["smj-sort"].expected


HAND_FOLDING = str.maketrans({"đ": "d", "ŋ": "n", "ŧ": "t", "ʒ": "z", "ǥ": "g", "ʹ": None})


def strip(text: str) -> str:
    """Accents stripped and đ ŋ ŧ ʒ ǥ folded, written here independently of the kit."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.lower().translate(HAND_FOLDING)


def test_the_search_checks_expect_the_records_that_hold_the_query():
    """Every exact and NFD query is in its records' text (NFC) and not in the folded twin's;
    the folded query is in all three."""
    back = {r["001"].data: r for r in records.all_records()}

    def holds(number, query, folded=False):
        text = unicodedata.normalize("NFC", " ".join(texts(back[number])))
        if folded:  # what folding search compares: both sides folded by hand-written rules
            text = strip(text)
        return unicodedata.normalize("NFC", query).casefold() in text.casefold()

    for check in protocol.checks():
        if check.kind in (protocol.EXACT, protocol.NFD, protocol.FOLDED):
            folded = check.kind == protocol.FOLDED
            assert all(holds(n, check.query, folded) for n in check.found), check.id
            assert not any(holds(n, check.query, folded) for n in check.missing), check.id
    nfd = next(c for c in protocol.checks() if c.id == "sme-nfd")
    assert nfd.query != unicodedata.normalize("NFC", nfd.query)


def test_the_protocol_workbooks_list_every_check_in_each_language():
    ids = protocol.check_ids()
    assert len(ids) == len(set(ids))
    for language, heading in (("nb", "Hva du gjør"), ("en", "What to do")):
        sheet = load_workbook(io.BytesIO(protocol.protocol_xlsx(language))).active
        assert sheet.cell(4, 4).value == heading
        listed = [sheet.cell(row, 1).value for row in range(5, sheet.max_row + 1)]
        assert listed == ids
    nb = load_workbook(io.BytesIO(protocol.protocol_xlsx("nb"))).active
    assert nb.cell(5, 2).value == "Nordsamisk"
    (choices,) = nb.data_validations.dataValidation
    assert choices.formula1 == '"bestått,feilet,merknad"'
    assert str(choices.sqref) == f"G5:G{4 + len(ids)}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_the_protocol_pdf_holds_the_letters(tmp_path):
    path = tmp_path / "protocol.pdf"
    path.write_bytes(language_kit.protocol_pdf("nb"))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ŧuo" in text and "Мой" in text and "sme-exact" in text
    assert "Språktestsett" in text
