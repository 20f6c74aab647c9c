"""ui.text: what others wrote, made safe to put into Markdown and hover labels."""

from __future__ import annotations

import re

import pytest

from ui.text import for_hover, plain

WRITTEN = [
    "![x](http://tracker.example/p.png)",
    "Greit\n\n- **Bjørn** (10): enig",
    "<img src=x onerror=alert(1)> & &amp;",
    ":red[rødt] :material/warning: $x^2$ `kode` ~~borte~~",
    "# Overskrift\n    kodeblokk\n> sitat\n1. liste",
    "[lenke](javascript:alert(1)) <http://example.invalid>",
    "Vanlig tekst med æøå, đŋŧ og tall 3,5.",
]


def unescaped(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", WRITTEN)
def test_plain_escapes_every_mark_and_keeps_the_words(text):
    shown = plain(text)
    # every ASCII punctuation mark is escaped, so Markdown gives none of them a meaning
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", shown)  # every escaped mark taken out
    assert re.search(r"[!-/:-@\[-`{-~]", bare) is None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert unescaped(shown).split("  \n") == lines
    assert "\n\n" not in shown  # no new paragraph, no list item of its own


def test_plain_of_nothing_is_empty():
    assert plain(None) == plain("") == ""


def test_hover_text_is_html_escaped_on_one_line():
    assert (
        for_hover("<b>fet</b> & <br>ny\nlinje") == "&lt;b&gt;fet&lt;/b&gt; &amp; &lt;br&gt;ny linje"
    )


def test_text_in_another_language_is_marked_and_its_own_markup_stays_text():
    from ui.text import in_language

    marked = in_language(plain("Støtte for <b>samisk</b>"), "nb", "en")
    assert marked == r'<span lang="nb">Støtte for \<b\>samisk\<\/b\></span>'
    assert in_language(plain("Sámi support"), "en", "en") == "Sámi support"


def test_what_people_wrote_in_the_tender_is_marked_norwegian_on_an_english_page():
    from ui.text import written

    assert written("Godt *løst*", "en") == r'<span lang="nb">Godt \*løst\*</span>'
    assert written("Godt løst", "nb") == "Godt løst"
    assert written("", "en") == ""


def test_a_field_missing_in_the_interface_language_falls_back_to_norwegian():
    from ui.i18n import localized, localized_language, speaking

    row = {"profile_nb": "Norsk tekst", "profile_en": ""}
    with speaking("en"):
        assert (localized(row, "profile"), localized_language(row, "profile")) == (
            "Norsk tekst",
            "nb",
        )
        assert localized_language({**row, "profile_en": "English text"}, "profile") == "en"
