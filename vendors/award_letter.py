"""The award letter (meddelelse om tildeling, FOA § 25-1) to one bidder, as PDF and Word.

``draft`` writes the letter's body from the results: who is chosen, the bidder's own
result, and per award criterion the chosen offer's characteristics and relative advantages
compared with this bidder's offer, in words taken from the agreed reasons (letters that
only list points have been found insufficient). The working group edits the body before
it is sent (``store.award``); the files are made from the stored text, the sending date and
the standstill period (``standstill_last_day``), and the same input gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

from babel.dates import format_date
from docx import Document
from docx.shared import Pt

from scoring.procurement import PRICE_CRITERION
from store.errors import N_
from tender_files import pdf
from vendors.award_results import OfferResult, RequirementResult, number, translate
from vendors.office_files import fixed_zip_times

# How many requirements the draft names per award criterion, where each offer is stronger.
ADVANTAGES_SHOWN = 3
STRENGTHS_SHOWN = 2

TITLE = N_("Notice of award decision")
STANDSTILL_HEADING = N_("Standstill period")
STANDSTILL = N_(
    "No contract will be signed before the standstill period of {days} days has ended. It "
    "runs from the day after this notice is sent ({sent}) up to and including {last_day}."
)
COMPLAINT_HEADING = N_("How to complain")
COMPLAINT = N_(
    "If you believe the award decision is wrong, write to us within the standstill period "
    "and say why; we will answer before the contract is signed. Within the standstill "
    "period you may also ask the district court for a temporary injunction to stop the "
    "contract being signed. A complaint to the Complaints Board for Public Procurement "
    "(KOFA) can be made later too, but it does not stop the contract being signed."
)
SENT = N_("Sent {sent}")
TO = N_("To: {vendor}")
TENDER = N_("Tender: {tender}")

CHOSEN_YOU = N_(
    "We have decided to award the contract to you, {vendor}, for the offer {offer} ({product})."
)
CHOSEN_OTHER = N_("We have decided to award the contract to {chosen}.")
WHY_CHOSEN = N_("The reason for the decision: {reason}")
OWN_RESULT = N_(
    "Your offer {offer} ({product}) scored {total} of 100 points and was ranked {rank} of "
    "{count}. The chosen offer scored {chosen_total} points."
)
OWN_RESULT_CHOSEN = N_(
    "Your offer scored {total} of 100 points and was ranked {rank} of {count} in the "
    "published evaluation model."
)
REJECTED = N_(
    "Your offer {offer} ({product}) was rejected because it deviates materially from "
    "mandatory requirements, and so was not ranked:"
)
REJECTION_LINE = N_("- {requirement}: {reason}")
CRITERION = N_(
    "{criterion} (weight {weight} %): the chosen offer scored {chosen} points, your offer "
    "{own} points."
)
ADVANTAGE_INTRO = N_("Where the chosen offer was stronger than yours:")
ADVANTAGE = N_(
    "- {requirement} ({text}): the chosen offer scored {chosen} of 10: {chosen_reason} "
    "Your offer scored {own} of 10: {own_reason}"
)
NO_ADVANTAGE = N_("The chosen offer scored no requirement of this criterion higher than yours.")
STRENGTH_INTRO = N_("Where your offer was stronger:")
STRENGTH = N_("- {requirement} ({text}): your offer {own} of 10, the chosen offer {chosen} of 10.")
PRICE_LOWER_HERE = N_(
    "Your offer had the lower price and so more price points; the chosen offer's "
    "advantages on the other criteria weighed more, {chosen_total} against {total} points "
    "in all."
)
PRICE_LOWER_CHOSEN = N_("The chosen offer had the lower price, and so more price points.")
PRICE_EQUAL = N_("Both offers scored the same price points.")
CLOSING = N_("We thank you for your offer and for the work you put into it.")


@dataclass(frozen=True)
class Letter:
    """What one letter file holds: the fixed parts and the body as edited."""

    language: str
    vendor_name: str
    tender: str
    sent_on: date
    standstill_days: int
    body: str

    @property
    def last_day(self) -> date:
        return standstill_last_day(self.sent_on, self.standstill_days)

    @property
    def made_at(self) -> datetime:
        """The date the files declare: the sending date (so the bytes never depend on when
        they were made)."""
        return datetime.combine(self.sent_on, time(), tzinfo=UTC)


def standstill_last_day(sent_on: date, days: int) -> date:
    """The standstill period's last day: it runs from the day after the letter is sent,
    ``days`` days, so it ends ``days`` days after the sending date (FOA § 25-2)."""
    return sent_on + timedelta(days=days)


def _t(result: OfferResult, message: str, **values: object) -> str:
    return translate(result.language, message).format(**values)


def _short(text: str, limit: int = 90) -> str:
    """A requirement's text up to its first sentence's end, at most ``limit`` letters."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " …"


def _reason(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) or not text else text + "."


def _points_line(own: OfferResult, criterion: str) -> str:
    """One award criterion's weight and both offers' points on it."""
    part = next(c for c in own.criteria if c.id == criterion)
    return _t(
        own,
        CRITERION,
        criterion=part.name,
        weight=number(part.weight * 100, own.language, 1),
        chosen=number(part.chosen or 0.0, own.language),
        own=number(part.own or 0.0, own.language),
    )


def _criterion_paragraph(own: OfferResult, chosen: OfferResult, criterion: str) -> list[str]:
    """The comparison on one award criterion (not price): points, then the requirements
    where the chosen offer was stronger, with both offers' agreed reasons."""
    lang = own.language
    lines = [_points_line(own, criterion)]
    categories = {c.id for c in own.categories if c.criterion == criterion}
    chosen_rows = {r.id: r for r in chosen.requirements}
    pairs: list[tuple[float, RequirementResult, RequirementResult]] = []
    for row in own.requirements:
        other = chosen_rows.get(row.id)
        if row.category in categories and other is not None:
            gap = ((other.score or 0.0) - (row.score or 0.0)) * row.weight
            pairs.append((gap, row, other))
    ahead = sorted((p for p in pairs if p[0] > 0), key=lambda p: -p[0])[:ADVANTAGES_SHOWN]
    behind = sorted((p for p in pairs if p[0] < 0), key=lambda p: p[0])[:STRENGTHS_SHOWN]
    if ahead:
        lines.append(_t(own, ADVANTAGE_INTRO))
        lines += [
            _t(
                own,
                ADVANTAGE,
                requirement=mine.id,
                text=_short(mine.text),
                chosen=number(theirs.score or 0.0, lang, 1),
                chosen_reason=_reason(theirs.reason),
                own=number(mine.score or 0.0, lang, 1),
                own_reason=_reason(mine.reason),
            )
            for _, mine, theirs in ahead
        ]
    else:
        lines.append(_t(own, NO_ADVANTAGE))
    if behind:
        lines.append(_t(own, STRENGTH_INTRO))
        lines += [
            _t(
                own,
                STRENGTH,
                requirement=mine.id,
                text=_short(mine.text),
                own=number(mine.score or 0.0, lang, 1),
                chosen=number(theirs.score or 0.0, lang, 1),
            )
            for _, mine, theirs in behind
        ]
    return lines


def _price_paragraph(own: OfferResult, chosen: OfferResult, criterion: str) -> list[str]:
    lang = own.language
    lines = [_points_line(own, criterion)]
    mine, theirs = own.price_points or 0.0, own.chosen_price_points or 0.0
    if mine > theirs:
        lines.append(
            _t(
                own,
                PRICE_LOWER_HERE,
                chosen_total=number(own.chosen_total or 0.0, lang),
                total=number(own.total or 0.0, lang),
            )
        )
    elif mine < theirs:
        lines.append(_t(own, PRICE_LOWER_CHOSEN))
    else:
        lines.append(_t(own, PRICE_EQUAL))
    return lines


def _offer_paragraphs(own: OfferResult, chosen: OfferResult) -> list[list[str]]:
    """One offer's part of the letter: its result, and (not chosen, not rejected) the
    comparison with the chosen offer per award criterion; or why it was rejected."""
    lang = own.language
    if own.is_chosen:
        result = _t(
            own, OWN_RESULT_CHOSEN, total=number(own.total or 0.0, lang), rank=own.rank,
            count=own.ranked,
        )  # fmt: skip
        return [[result]]
    if own.rejected:
        return [
            [_t(own, REJECTED, offer=own.offer_id, product=own.product)]
            + [
                _t(own, REJECTION_LINE, requirement=r, reason=_reason(why))
                for r, why in own.rejection_reasons
            ]
        ]
    paragraphs = [
        [
            _t(
                own,
                OWN_RESULT,
                offer=own.offer_id,
                product=own.product,
                total=number(own.total or 0.0, lang),
                rank=own.rank,
                count=own.ranked,
                chosen_total=number(own.chosen_total or 0.0, lang),
            )
        ]
    ]
    for criterion in own.criteria:
        if criterion.id == PRICE_CRITERION:
            paragraphs.append(_price_paragraph(own, chosen, criterion.id))
        else:
            paragraphs.append(_criterion_paragraph(own, chosen, criterion.id))
    return paragraphs


def draft(offers: Sequence[OfferResult], chosen: OfferResult) -> str:
    """The letter's body for the bidder of ``offers`` (its offers' results, one or more),
    with ``chosen`` the chosen offer's result as ``award_results`` gives it: who is chosen
    and why, each offer's part, thanks; paragraphs separated by a blank line."""
    first = offers[0]
    if chosen.vendor_id == first.vendor_id:
        opening = [
            _t(
                first,
                CHOSEN_YOU,
                vendor=chosen.vendor_name,
                offer=chosen.offer_id,
                product=chosen.product,
            )
        ]
    else:
        opening = [
            _t(first, CHOSEN_OTHER, chosen=first.chosen_vendor),
            _t(first, WHY_CHOSEN, reason=_reason(first.award_reason)),
        ]
    paragraphs = [opening]
    for own in offers:
        paragraphs += _offer_paragraphs(own, chosen)
    paragraphs.append([_t(first, CLOSING)])
    return "\n\n".join("\n".join(p) for p in paragraphs)


def _fixed_parts(letter: Letter) -> dict[str, str]:
    lang = letter.language

    def t(message: str, **values: object) -> str:
        return translate(lang, message).format(**values)

    def day(value: date) -> str:
        return format_date(value, format="long", locale=lang)

    return {
        "title": t(TITLE),
        "to": t(TO, vendor=letter.vendor_name),
        "tender": t(TENDER, tender=letter.tender),
        "sent": t(SENT, sent=day(letter.sent_on)),
        "standstill_heading": t(STANDSTILL_HEADING),
        "standstill": t(
            STANDSTILL,
            days=letter.standstill_days,
            sent=day(letter.sent_on),
            last_day=day(letter.last_day),
        ),
        "complaint_heading": t(COMPLAINT_HEADING),
        "complaint": t(COMPLAINT),
    }


def _paragraphs(body: str) -> list[list[str]]:
    """The body's paragraphs (parted by blank lines), each as its lines."""
    blocks = re.split(r"\n\s*\n", body.strip())
    return [[line.strip() for line in b.splitlines() if line.strip()] for b in blocks if b.strip()]


PDF_TEMPLATE = """#let data = json("data.json")
#set document(title: data.title, author: "bibvalg")
#set text(lang: data.lang, font: "DejaVu Sans", size: 10pt)
#set page(paper: "a4", margin: 2.2cm)
#set par(spacing: 0.9em)
= #data.title
#data.to \\
#data.tender \\
#data.sent
#for lines in data.body [
  #par(lines.join(linebreak()))
]
== #data.standstill_heading
#data.standstill
== #data.complaint_heading
#data.complaint
"""


def letter_pdf(letter: Letter) -> bytes:
    """The letter as a PDF/UA-1 document."""
    data = {
        **_fixed_parts(letter),
        "lang": letter.language,
        "body": _paragraphs(letter.body),
    }
    return pdf.render(PDF_TEMPLATE, data, made_at=letter.made_at)


def letter_docx(letter: Letter) -> bytes:
    """The letter as a Word document (the same bytes for the same letter)."""
    parts = _fixed_parts(letter)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"  # type: ignore[attr-defined]
    style.font.size = Pt(10)  # type: ignore[attr-defined]
    document.add_heading(parts["title"], level=1)
    for key in ("to", "tender", "sent"):
        document.add_paragraph(parts[key])
    for lines in _paragraphs(letter.body):
        paragraph = document.add_paragraph()
        for place, line in enumerate(lines):
            run = paragraph.add_run(line)
            if place < len(lines) - 1:
                run.add_break()
    for heading, text in (("standstill_heading", "standstill"), ("complaint_heading", "complaint")):
        document.add_heading(parts[heading], level=2)
        document.add_paragraph(parts[text])
    properties = document.core_properties
    moment = letter.made_at.replace(tzinfo=None)
    properties.title = parts["title"]
    properties.author = "bibvalg"
    properties.last_modified_by = "bibvalg"
    properties.language = letter.language
    properties.created = moment
    properties.modified = moment
    properties.last_printed = moment
    properties.revision = 1
    buffer = BytesIO()
    document.save(buffer)
    return fixed_zip_times(buffer.getvalue(), letter.made_at)
