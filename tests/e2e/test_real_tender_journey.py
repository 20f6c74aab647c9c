"""In a real browser, from an empty database to a ranking, through the app only.

The working group sets up its own tender on Oppsett (the tender, a catalogue workbook it
wrote itself, its library list, two evaluators with their declarations, three vendors with
an offer each), sends each vendor its own requirement specification and imports the
filled-in file, freezes the model and opens the offers. Both evaluators score and submit,
the consensus meeting agrees on the proposals, and the Overview's ranking is the one worked
out by hand below from the scores and prices typed in.
"""

from __future__ import annotations

import csv
import re
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from store.org_number import is_valid
from tests.e2e.conftest import ARTIFACTS, BROWSER, SETTLED, act, only

pytestmark = BROWSER
PlaywrightTimeout = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
).TimeoutError

WAIT = 30_000  # ms: one rerun of a page on two shared cores

# --- the tender, as the working group writes it -------------------------------------------

TENDER_NAME = "Felles biblioteksystem for Nordvik og Sørvik"
CONTRACT_YEARS = 5

CRITERIA = [  # id, name (nb), name (en), weight in the published profile
    ("quality", "Kvalitet", "Quality", 60.0),
    ("price", "Pris", "Price", 40.0),
]
CATEGORIES = [  # id, award criterion, name (nb), name (en), weight within the criterion
    ("sok", "quality", "Søk og katalog", "Search and catalogue", 70.0),
    ("drift", "quality", "Drift og støtte", "Operation and support", 30.0),
]
REQUIREMENTS = [  # id, category, kind, text (nb), text (en), weight within the category
    ("SOK-01", "sok", "M", "UTF-8 hele veien, også samiske bokstaver á č đ ŋ š ŧ ž.",
     "UTF-8 end to end, Sámi letters á č đ ŋ š ŧ ž included.", 0.0),
    ("SOK-02", "sok", "W", "Nordsamisk sortering (CLDR se) i katalogen.",
     "Northern Sámi collation (CLDR se) in the catalogue.", 2.0),
    ("SOK-03", "sok", "W", "Søkefolding som finner đ, ŋ og ŧ.",
     "Search folding that finds đ, ŋ and ŧ.", 1.0),
    ("DRIFT-01", "drift", "W", "Brukerstøtte på norsk, med opplæringsplan.",
     "Support in Norwegian, with a training plan.", 1.0),
]  # fmt: skip
PRICE_LINES = [  # id, kind, option, text (nb), text (en), mandatory
    ("impl", "one_time", False, "Implementering og migrering", "Implementation and migration",
     True),
    ("lisens", "yearly", False, "Lisens og drift per år", "Licence and hosting per year", True),
    ("kurs", "one_time", True, "Ekstra opplæring (opsjon)", "Extra training (option)", False),
]  # fmt: skip

LIBRARIES = [
    ("nordvik-bibliotek", "Nordvik bibliotek", "Davvivuotna", "public", "Nordvik", "Troms",
     "true", "false", "medium", "2", "4"),
    ("sorvik-bibliotek", "Sørvik bibliotek", "", "public", "Sørvik", "Finnmark", "false",
     "true", "small", "1", "1"),
    ("bokbussen", "Bokbussen i nord", "", "mobile", "Nordvik", "Troms", "false", "false",
     "small", "1", "0"),
]  # fmt: skip


@dataclass(frozen=True)
class Evaluator:
    id: str
    name: str
    role: str


EVALUATORS = [
    Evaluator("ella", "Ella Nilsen Sara", "Bibliotekar, folkebibliotek"),
    Evaluator("jon", "Jon Hætta", "Skolebibliotekar"),
]
WEIGHTED = [r[0] for r in REQUIREMENTS if r[2] == "W"]
MANDATORY = [r[0] for r in REQUIREMENTS if r[2] == "M"]

PRICES = {  # vendor -> price line -> amount, NOK excl. VAT
    "nordlys": {"impl": 300_000, "lisens": 120_000, "kurs": 50_000},
    "fjellbok": {"impl": 200_000, "lisens": 100_000, "kurs": 40_000},
    "havn": {"impl": 500_000, "lisens": 150_000, "kurs": 10_000},
}
SCORES = {  # vendor -> evaluator -> score 0–10 on each WEIGHTED requirement, in order
    "nordlys": {"ella": (9, 8, 7), "jon": (8, 8, 6)},
    "fjellbok": {"ella": (5, 6, 7), "jon": (6, 6, 8)},
    "havn": {"ella": (10, 9, 9), "jon": (9, 10, 9)},
}
ANSWERS = {  # vendor -> answer 0–3 on each requirement, in the order of REQUIREMENTS
    "nordlys": (3, 3, 2, 2),
    "fjellbok": (3, 2, 2, 3),
    "havn": (3, 3, 3, 3),
}


@dataclass(frozen=True)
class Vendor:
    id: str
    name: str
    org_number: str
    contact: str
    offer: str
    product: str

    @property
    def prices(self) -> dict[str, int]:
        return PRICES[self.id]

    @property
    def answers(self) -> dict[str, int]:
        return dict(zip((r[0] for r in REQUIREMENTS), ANSWERS[self.id], strict=True))

    def score(self, evaluator: str, requirement: str) -> int:
        return SCORES[self.id][evaluator][WEIGHTED.index(requirement)]


VENDORS = [  # id, name, organisation number, contact, offer, product
    Vendor("nordlys", "Nordlys Bibliotekdata AS", "974760673",
           "Kari Nordlys, kari@nordlys.example", "nordlys-1", "Nordlys Bib"),
    Vendor("fjellbok", "Fjellbok AS", "987654325", "Per Fjell, per@fjellbok.example",
           "fjellbok-1", "Fjellbok Sky"),
    Vendor("havn", "Havnesystem AS", "928374653", "Ola Havn, ola@havn.example", "havn-1",
           "Havn Library Suite"),
]  # fmt: skip


# --- the ranking worked out by hand -------------------------------------------------------


def expected_totals() -> dict[str, float]:
    """Each vendor's total (0–100) under the published model, from the typed numbers.

    Agreed score = the median of the two evaluators' scores (the meeting accepts the
    proposal). Price points, linear: 10 − 10 · (P_e − P_b) / P_b, floored at 0, with P the
    total cost over the contract (one-time + yearly × years; options left out). Total = 10 ×
    Σ (criterion share × category share × requirement share × points) + 10 × price share ×
    price points.
    """
    criterion_share = {c[0]: c[3] / sum(x[3] for x in CRITERIA) for c in CRITERIA}
    category_share = {
        c[0]: c[4] / sum(x[4] for x in CATEGORIES if x[1] == c[1]) for c in CATEGORIES
    }
    criterion_of = {c[0]: c[1] for c in CATEGORIES}
    weight = {}
    for rid, cat, kind, _nb, _en, w in REQUIREMENTS:
        if kind != "W":
            continue
        in_category = sum(r[5] for r in REQUIREMENTS if r[1] == cat and r[2] == "W")
        weight[rid] = criterion_share[criterion_of[cat]] * category_share[cat] * w / in_category
    kinds = {line[0]: (line[1], line[2]) for line in PRICE_LINES}

    def cost(vendor: Vendor) -> float:
        total = 0.0
        for line, amount in vendor.prices.items():
            kind, option = kinds[line]
            if not option:
                total += amount * (CONTRACT_YEARS if kind == "yearly" else 1)
        return total

    lowest = min(cost(v) for v in VENDORS)
    totals = {}
    for vendor in VENDORS:
        agreed = {rid: median(vendor.score(e.id, rid) for e in EVALUATORS) for rid in WEIGHTED}
        price_points = max(0.0, 10 - 10 * (cost(vendor) - lowest) / lowest)
        points = sum(weight[rid] * agreed[rid] for rid in WEIGHTED)
        points += criterion_share["price"] * price_points
        totals[vendor.name] = 10 * points
    return totals


def test_the_ranking_worked_out_by_hand() -> None:
    """The numbers the journey expects, spelled out.

    Cost over 5 years (the option left out): Fjellbok 200 000 + 5 × 100 000 = 700 000,
    Nordlys 300 000 + 5 × 120 000 = 900 000, Havn 500 000 + 5 × 150 000 = 1 250 000.
    Price points: Fjellbok 10, Nordlys 10 − 10 × 200/700 = 7.143, Havn 10 − 10 × 550/700
    = 2.143. Weights: SOK-02 0.6 × 0.7 × 2/3 = 0.28, SOK-03 0.6 × 0.7 × 1/3 = 0.14,
    DRIFT-01 0.6 × 0.3 = 0.18, price 0.4. Agreed scores (medians) for SOK-02, SOK-03,
    DRIFT-01: Fjellbok 5.5, 6, 7.5; Nordlys 8.5, 8, 6.5; Havn 9.5, 9.5, 9.
    Fjellbok 10 × (1.54 + 0.84 + 1.35 + 4) = 77.3; Nordlys 10 × (2.38 + 1.12 + 1.17 + 2.857)
    = 75.3; Havn 10 × (2.66 + 1.33 + 1.62 + 0.857) = 64.7.
    """
    totals = expected_totals()
    assert {name: round(total, 1) for name, total in totals.items()} == {
        "Fjellbok AS": 77.3,
        "Nordlys Bibliotekdata AS": 75.3,
        "Havnesystem AS": 64.7,
    }


# --- the files the working group and the vendors make --------------------------------------


CLIMATE_JUSTIFICATION = "Klima- og miljøkrav står som minstekrav i kravspesifikasjonen."


def catalogue_workbook(path: Path) -> Path:
    """The working group's catalogue workbook, in the layout the app reads."""
    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = "Veiledning – Instructions"
    intro["A1"] = "Kravkatalog for Nordvik og Sørvik"
    sheets = {
        "Kriterier – Criteria": (
            ["Id", "Navn (norsk)", "Name (English)", "Beskrivelse (norsk)",
             "Description (English)", "Vekt – Weight", "Utgått – Retired"],
            [[i, nb, en, "", "", w, "nei"] for i, nb, en, w in CRITERIA],
        ),
        "Kategorier – Categories": (
            ["Id", "Kriterium – Criterion", "Navn (norsk)", "Name (English)", "Vekt – Weight",
             "Utgått – Retired"],
            [[i, c, nb, en, w, "nei"] for i, c, nb, en, w in CATEGORIES],
        ),
        "Krav – Requirements": (
            ["Id", "Kategori – Category", "Type (M/W/I)", "Tekst (norsk)", "Text (English)",
             "Vekt – Weight", "Utgått – Retired"],
            [[*r, "nei"] for r in REQUIREMENTS],
        ),
        "Priser – Price lines": (
            ["Id", "Type (one_time/yearly)", "Opsjon – Option", "Tekst (norsk)",
             "Text (English)", "Obligatorisk – Mandatory", "Utgått – Retired"],
            [[i, k, "ja" if o else "nei", nb, en, "ja" if m else "nei", "nei"]
             for i, k, o, nb, en, m in PRICE_LINES],
        ),
    }  # fmt: skip
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def library_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "name", "sami_name", "kind", "municipality", "region", "sami_area", "kven",
             "size_class", "branches", "school_libraries"]
        )  # fmt: skip
        writer.writerows(LIBRARIES)
    return path


def header_columns(ws: Any, header_row: int = 2) -> dict[str, int]:
    """English heading -> column number ("Krav / Requirement" -> "Requirement")."""
    return {str(c.value).split(" / ")[-1]: c.column for c in ws[header_row] if c.value is not None}


def fill_vendor_workbook(downloaded: Path, vendor: Vendor, out: Path) -> Path:
    """The requirement specification as the vendor sends it back: answers and prices."""
    wb = load_workbook(downloaded)
    ws = wb["Krav – Requirements"]
    col = header_columns(ws)
    rows = {
        ws.cell(r, col["Requirement id"]).value: r
        for r in range(3, ws.max_row + 1)
        if ws.cell(r, col["Requirement id"]).value
    }
    assert set(rows) == {r[0] for r in REQUIREMENTS}
    for rid, answer in vendor.answers.items():
        ws.cell(rows[rid], col["Answer (0–3)"]).value = answer
        ws.cell(rows[rid], col["Comment"]).value = f"{vendor.product}: svar på {rid}."
    prices = wb["Pris – Prices"]
    lines = {prices.cell(r, 1).value: r for r in range(3, prices.max_row + 1)}
    assert set(lines) == {line[0] for line in PRICE_LINES}
    for line, amount in vendor.prices.items():
        prices.cell(lines[line], 7).value = amount  # G: Amount, NOK excl. VAT
    wb.save(out)
    return out


# --- the browser, with every click and field counted ---------------------------------------


class Journey:
    """The page, and how many clicks and fields (typed, chosen or uploaded) it took.

    After an action that makes the app run again (``rerun``), the next waits until that run
    has begun and ended and the page holds only what it drew; acting sooner would act on a
    field about to be replaced.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.clicks = 0
        self.fields = 0

    def act(self, action: Any, *, rerun: bool) -> None:
        act(self.page, action, timeout=WAIT, rerun=rerun)

    def click(self, locator: Any, *, rerun: bool = True) -> None:
        self.act(locator.click, rerun=rerun)
        self.clicks += 1

    def fill(self, locator: Any, value: object) -> None:
        """Type into a field and leave it (Tab), as a person does: leaving sends it."""
        locator.fill(str(value))
        self.act(lambda: locator.press("Tab"), rerun=True)
        self.fields += 1

    def type_in(self, form: Any, label: str, value: object) -> None:
        """Type into a field of a form and leave it: the form's button sends it."""
        field = form.get_by_label(label, exact=True)
        field.fill(str(value))
        field.blur()
        self.fields += 1

    def upload(self, locator: Any, path: Path) -> None:
        """Choose a file for an upload box: one click (Browse files), one field."""
        self.act(lambda: locator.set_input_files(str(path)), rerun=True)
        self.clicks += 1
        self.fields += 1

    def choose(self, combobox: Any, option: str, *, rerun: bool = True) -> None:
        """Open a select box and click one of its options: two clicks, one field."""
        choice = self.page.get_by_role("option", name=option, exact=True)
        for _attempt in range(6):
            # A box drawn again just as it is clicked can stay shut, or shut again at once,
            # and its list can vanish under the pointer when a late run draws the form
            # again; a late run can also draw the form anew after the choice. Then the box
            # is opened once more. A list still opening is left to open (a second click
            # would shut it): a busy machine draws slowly.
            self.page.wait_for_function(SETTLED, timeout=WAIT)
            if self.page.get_by_role("listbox").count() == 0:
                only(combobox).click()
            with suppress(PlaywrightTimeout):
                choice.wait_for(timeout=10_000)
                self.act(lambda: choice.click(timeout=10_000), rerun=rerun)
            self.page.wait_for_function(SETTLED, timeout=WAIT)
            if only(combobox).input_value() == option:
                break
        self.clicks += 2
        self.fields += 1
        assert only(combobox).input_value() == option, f"{option} was not chosen"

    def choose_unless_shown(self, combobox: Any, option: str, *, rerun: bool = True) -> None:
        """Choose an option unless the box shows it already (no click then)."""
        if only(combobox).input_value() != option:
            self.choose(combobox, option, rerun=rerun)

    def tick(self, label: str) -> None:
        """Tick the box with this label (its start): one click, one field."""
        box = self.page.locator("[data-testid=stCheckbox]").filter(has_text=label)
        self.act(box.locator("label").click, rerun=True)
        self.clicks += 1
        self.fields += 1
        assert box.get_by_role("checkbox").is_checked(), f"{label} is not ticked"

    def see(self, text: str | re.Pattern[str], timeout: float = WAIT) -> Any:
        found = self.page.get_by_text(text).first
        found.wait_for(timeout=timeout)
        return found

    def shot(self, name: str) -> None:
        self.page.wait_for_timeout(500)  # what the last run no longer draws has faded out
        self.page.screenshot(path=str(ARTIFACTS / f"real-tender-{name}.png"), full_page=True)

    def nav(self, name: str, heading: str) -> None:
        self.click(self.page.get_by_role("link", name=name, exact=True))
        self.page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=WAIT)

    def tab(self, name: str) -> Any:
        """A tab of the page, chosen unless it is the one open (choosing it draws it)."""
        choice = self.page.get_by_role("tab", name=name, exact=True)
        if choice.get_attribute("aria-selected") != "true":
            self.click(choice)
        return self.page.get_by_role("tabpanel")  # the visible one only

    def section(self, name: str) -> None:
        """A section of the Evaluation page, unless it is the one shown."""
        choice = self.page.get_by_role("radio", name=name)
        if choice.get_attribute("aria-checked") != "true":
            self.click(choice)

    def form(self, text: str) -> Any:
        return self.page.locator("[data-testid=stForm]").filter(has_text=text)

    def send(self, form: Any, fields: dict[str, object], button: str, done: str) -> None:
        """Type each field of ``form`` (label -> value), press ``button`` and see ``done``."""
        for label, value in fields.items():
            self.type_in(form, label, value)
        self.click(form.get_by_role("button", name=button))
        self.see(done)

    def uploader(self, scope: Any, label: str) -> Any:
        box = scope.locator("[data-testid=stFileUploader]").filter(has_text=label)
        return box.locator("input[type=file]")


# --- the journey ---------------------------------------------------------------------------


@pytest.mark.timeout(900)  # some 120 steps, each a round trip; slower on a busy machine
def test_a_real_tender_from_an_empty_database_to_the_ranking(
    empty_app_url: str, page: Any, tmp_path: Path
) -> None:
    for vendor in VENDORS:
        assert is_valid(vendor.org_number), vendor.org_number
    started = time.monotonic()
    j = Journey(page)
    try:
        _journey(j, empty_app_url, tmp_path)
    except Exception:
        j.shot("failure")
        raise
    finally:
        print(f"clicks={j.clicks} fields={j.fields} seconds={time.monotonic() - started:.0f}")


def _journey(j: Journey, url: str, tmp_path: Path) -> None:
    page = j.page
    page.goto(url)
    page.get_by_role("heading", name="Oversikt").wait_for(timeout=60_000)
    j.see("Neste steg: Kravspesifikasjon.")
    j.shot("empty")
    # English is chosen on the first page visited after the start page: on the start page
    # of a new session the first choice in the sidebar does not hold (see the report).
    j.nav("Oppsett", "Oppsett")
    j.choose(page.get_by_role("combobox", name="Språk / Language"), "English")
    page.get_by_role("heading", name="Setup", exact=True).wait_for(timeout=WAIT)

    # 1. The tender.
    panel = j.tab("The tender")
    j.type_in(panel, "Name of the tender", TENDER_NAME)
    j.type_in(panel, "Contract years", CONTRACT_YEARS)
    j.click(panel.get_by_role("button", name="Save the tender"))
    j.see("The tender is saved.")

    # 2. The catalogue from the working group's own workbook.
    panel = j.tab("Award criteria")
    # No criterion "environment": climate and environment weighs 0 %, so FOA § 7-9 asks
    # for the justification before the weights are saved.
    j.fill(
        panel.get_by_role(
            "textbox", name="Justification if climate and environment weighs under 30 % (FOA § 7-9)"
        ),
        CLIMATE_JUSTIFICATION,
    )
    j.upload(
        j.uploader(panel, "Catalogue workbook (.xlsx)"),
        catalogue_workbook(tmp_path / "kravkatalog-nordvik.xlsx"),
    )
    j.fill(panel.get_by_label("Reason for the import (goes into the log)"), "Første katalog")
    j.click(panel.get_by_role("button", name="Import the catalogue workbook"))
    j.see(
        "The catalogue workbook is imported: 2 award criteria, 2 categories, "
        f"{len(REQUIREMENTS)} requirements and {len(PRICE_LINES)} price lines added or changed."
    )
    j.shot("catalogue")

    # 3. The libraries.
    panel = j.tab("Libraries")
    j.upload(
        j.uploader(panel, "Library list (CSV or .xlsx)"), library_csv(tmp_path / "bibliotek.csv")
    )
    j.click(panel.get_by_role("button", name="Import the library list"))
    j.see(f"The library list is imported: {len(LIBRARIES)} added, 0 changed, 0 unchanged.")

    # 4. The evaluators and their declarations of impartiality.
    panel = j.tab("Evaluators")
    for evaluator in EVALUATORS:
        fields = {
            "Id (lower-case letters, digits, - or _)": evaluator.id,
            "Name": evaluator.name,
            "Role (for example: librarian in a school library)": evaluator.role,
        }
        added = "The evaluator is added. Record the declaration of impartiality next."
        j.send(j.form("Add an evaluator"), fields, "Add", added)
    for evaluator in EVALUATORS:
        form = j.form("Declaration of impartiality")
        j.choose_unless_shown(
            form.get_by_role("combobox", name="Evaluator"), evaluator.name, rerun=False
        )
        j.click(form.get_by_role("button", name="Record the declaration"))
        j.see("The declaration is recorded.")
    j.shot("evaluators")

    # 5. The vendors and their offers.
    j.tab("Vendors and offers")
    for vendor in VENDORS:
        fields = {
            "Id (lower-case letters, digits, - or _)": vendor.id,
            "Name": vendor.name,
            "Organisation number (nine digits)": vendor.org_number,
            "Contact (name, e-mail)": vendor.contact,
        }
        j.send(j.form("Register a vendor"), fields, "Register", "The vendor is registered.")
    for vendor in VENDORS:
        form = j.form("Register an offer")
        j.choose_unless_shown(form.get_by_role("combobox", name="Vendor"), vendor.name, rerun=False)
        fields = {
            "Offer id (for example: the vendor's id and -1)": vendor.offer,
            "Product offered": vendor.product,
        }
        j.send(form, fields, "Register", "The offer is registered.")
    j.shot("vendors")

    # 6. Each vendor's own requirement specification, out and back in.
    for vendor in VENDORS:
        panel = page.get_by_role("tabpanel")
        offer_name = f"{vendor.name} – {vendor.product}"
        j.choose_unless_shown(panel.get_by_role("combobox", name="Offer").first, offer_name)
        with page.expect_download(timeout=WAIT) as download_info:
            j.click(
                panel.get_by_role(
                    "button", name="Download the requirement specification for this offer"
                )
            )
        downloaded = tmp_path / f"{vendor.id}-{download_info.value.suggested_filename}"
        download_info.value.save_as(downloaded)
        filled = fill_vendor_workbook(downloaded, vendor, tmp_path / f"svar-{vendor.id}.xlsx")
        importer = panel.locator("[data-testid=stExpander]").filter(
            has_text="Import a vendor's answers and prices"
        )
        if not importer.get_by_text("Filled-in requirement specification").is_visible():
            j.click(
                importer.get_by_text("Import a vendor's answers and prices (Excel)"), rerun=False
            )
        j.choose_unless_shown(importer.get_by_role("combobox", name="Offer"), offer_name)
        j.upload(j.uploader(importer, "Filled-in requirement specification"), filled)
        j.click(importer.get_by_role("button", name="Check the file"))
        j.see(
            f"svar-{vendor.id}.xlsx for {offer_name}, round 1: {len(REQUIREMENTS)} answers "
            f"({len(REQUIREMENTS)} new, 0 changed, 0 removed) and {len(vendor.prices)} prices"
        )
        j.click(importer.get_by_role("button", name="Import", exact=True))
        j.see(f"svar-{vendor.id}.xlsx is imported for {offer_name} in round 1")
    j.shot("imported")

    # 7. The model frozen (Evaluation, Model and freeze), then the offers opened (Setup).
    j.nav("Evaluation", "Evaluation")
    j.section("Model and freeze")
    j.tick("Freeze the evaluation model now.")
    j.click(page.get_by_role("button", name="Freeze the evaluation model", exact=True))
    j.see("The evaluation model is frozen. Fingerprint:")
    j.nav("Setup", "Setup")
    panel = j.tab("Vendors and offers")
    j.click(panel.get_by_role("button", name="Open the offers of round 1"))
    j.see("The offers of round 1 are opened.")
    j.shot("opened")

    # 8. Each evaluator scores every weighted requirement and assesses every mandatory one
    # of every offer, with a reason, and submits.
    categories = {c[0]: c[3] for c in CATEGORIES}
    per_offer = len(WEIGHTED) + len(MANDATORY)
    total = per_offer * len(VENDORS)
    j.nav("Evaluation", "Evaluation")
    j.section("Scoring")
    for evaluator in EVALUATORS:
        j.choose(page.get_by_role("combobox", name="I am"), evaluator.name)
        j.see(f"Scores of {evaluator.name}")
        done = 0
        j.see(f"{done} of {total} done")
        for vendor in VENDORS:
            j.choose_unless_shown(page.get_by_role("combobox", name="Offer"), vendor.name)
            category_box = page.get_by_role("combobox", name="Category")
            now = only(category_box).input_value()  # the category shown first, then the others
            for category, category_name in sorted(categories.items(), key=lambda c: c[1] != now):
                j.choose_unless_shown(category_box, category_name)
                shown = [r for r in REQUIREMENTS if r[1] == category and r[2] in "WM"]
                scores, assessments = 0, 0
                for number, (rid, _cat, kind, *_rest) in enumerate(shown):
                    if kind == "W":
                        score = vendor.score(evaluator.id, rid)
                        j.fill(page.get_by_label("Score (0–10)").nth(scores), score)
                        scores += 1
                        reason = f"{evaluator.name}: {score} poeng for {rid}."
                    else:
                        assessment = page.get_by_role("combobox", name="Assessment")
                        j.choose(assessment.nth(assessments), "Met")
                        assessments += 1
                        reason = f"{evaluator.name}: {rid} er oppfylt."
                    j.fill(page.get_by_label("Reason").nth(number), reason)
                    done += 1
                    j.see(f"{done} of {total} done")
        j.tick("I have finished.")
        j.click(page.get_by_role("button", name="Submit my scores"))
        j.see("Submitted. Your scores are now visible to the other evaluators.")
        j.shot(f"submitted-{evaluator.id}")

    # 9. The consensus meeting accepts the proposals (the median, the majority assessment),
    # with the meeting's reason for each offer.
    j.section("Consensus meeting")
    j.see(f"Submitted: {', '.join(e.name for e in EVALUATORS)}.")
    for rid, _cat, kind, _nb, text_en, _w in REQUIREMENTS:
        # Each requirement is still open until the meeting saves it.
        shown = f"{rid} ({'weighted' if kind == 'W' else 'mandatory'}) – {text_en} · open"
        j.choose_unless_shown(page.get_by_role("combobox", name="Requirement"), shown)
        form = j.form("Agreed scores" if kind == "W" else "Agreed assessments")
        for vendor in VENDORS:
            row = form.locator("[data-testid=stHorizontalBlock]").filter(has_text=vendor.name)
            j.type_in(row, "Reason", f"Møtet: enig for {vendor.name}.")
        button = "Save the agreed scores" if kind == "W" else "Save the agreed assessments"
        j.click(form.get_by_role("button", name=button))
        j.see(f"Saved: {len(VENDORS)}.")
    j.shot("consensus")

    # 10. The ranking on the Overview, against the one worked out by hand.
    j.nav("Overview", "Overview")
    page.wait_for_selector(".js-plotly-plot", timeout=WAIT)
    assert page.get_by_text("Next step:").count() == 0
    bars = page.evaluate(
        """() => document.querySelector('.js-plotly-plot').data
            .filter(t => t.type === 'scatter').map(t => ({y: t.y, x: t.x}))[0]"""
    )
    expected = expected_totals()
    order = sorted(expected, key=expected.get, reverse=True)
    assert bars["y"] == [f"{rank}. {name}" for rank, name in enumerate(order, start=1)]
    assert bars["x"] == pytest.approx([expected[name] for name in order], abs=1e-6)
    j.shot("ranking")
