"""The 公文 PDF engine (issue 3 §3, issue 8 §1, issue 14): GB/T 9704-2012 layout checked with pdfplumber (the
28 × 22 grid, nothing outside the text block but the page number, no page holding only the closing, the 纪要 and
upward formats), fonts and glyphs read without fontTools, gapless numbers under concurrent issuing, rendering by a
real Celery worker, scoped downloads and the public check."""

import datetime
import hashlib
import io
import itertools
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from pdfminer.pdftypes import resolve1

from committee.documents import fonts, rendering, services, subsetting
from committee.documents.models import Document, DocumentCounter, DocumentKind, DocumentState, NumberPrefix
from committee.documents.selectors import documents_for
from committee.models import Street, User
from tests.markers import transactional_db

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210 * MM, 297 * MM)
TOLERANCE = 0.8 * MM
BLOCK = (28 * MM, 37 * MM, (28 + 156) * MM, (37 + 225) * MM)  # x0, top, x1, bottom of the text block
CELL = 156 / 28 * MM  # one character of the grid
PITCH = 225 / 22 * MM  # one line of the grid
RARE_NAMES = "喆 堃 玥 赟 𠮷"
LETTER = "documents/letter_base.html"
DOCUMENT = "documents/document_base.html"
MINUTES = "documents/minutes_base.html"
RED = (0.902, 0.0, 0.071)  # #e60012
# Body text without punctuation, so that every line can hold exactly 28 characters (a line never starts with
# "，", which would move a character down).
FILLER = "望春门街道居民代表反映背街小巷路灯不亮的问题请街道办事处在收到本函之日起十五个工作日内书面答复办理情况"
ATTENDANCE = [
    {"label": "主持", "names": "孙强"},
    {"label": "出席", "names": "孙强、赵佳婷、郭梅涵、张喆、李堃、王玥、赵赟、吉𠮷、钱文彬、冯晓东、陈立新、褚建华"},
    {"label": "请假", "names": "卫国平（出差）"},
    {"label": "列席", "names": "街道办事处分管负责人"},
]
# The formats: template and what each adds to the context.
FORMATS = {
    "letter": (LETTER, {}),
    "document": (DOCUMENT, {}),
    "upward": (DOCUMENT, {"signer": "张喆"}),
    "minutes": (MINUTES, {"heading": "望春门街道人大工委会议纪要", "serial": 3, "attendance": ATTENDANCE}),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _context(paragraphs: int = 3, fmt: str = "letter") -> dict:
    """Three paragraphs of filler make a three-page document in every format; none, a one-page one."""
    body = "一、基本情况\n" + "望春门街道居民代表张喆、李堃、王玥、赵赟、吉𠮷𠮷反映背街小巷路灯不亮的问题。" * 6 + "\n"
    body += (
        "（一）办理要求\n" + ("请街道办事处在收到本函之日起十五个工作日内书面答复办理情况。" * 8 + "\n") * paragraphs
    )
    return {
        "issuer": "望春门街道人大工委",
        "number": "湘乡人大望工函〔2025〕3号",
        "title": "关于背街小巷路灯整修问题的意见函",
        "recipient": "望春门街道办事处",
        "paragraphs": rendering.paragraphs(body),
        "signature": "望春门街道人大工委",
        "date_text": rendering.chinese_date(datetime.date(2025, 3, 28)),
        "verify_url": "http://127.0.0.1:8000/verify/token/",
        "verify_qr": rendering.qr_data_uri("http://127.0.0.1:8000/verify/token/"),
        **FORMATS[fmt][1],
    }


def _render(fmt: str, context: dict) -> bytes:
    return rendering.render_pdf(FORMATS[fmt][0], {**_context(0, fmt), **context})


@pytest.fixture(scope="module")
def letter_pdf():
    return rendering.render_pdf(LETTER, _context())


@pytest.fixture(scope="module")
def document_pdf():
    return rendering.render_pdf(DOCUMENT, _context())


@pytest.fixture(scope="module")
def format_pdfs(letter_pdf, document_pdf):
    """The three-page document of every format."""
    return {
        "letter": letter_pdf,
        "document": document_pdf,
        "upward": rendering.render_pdf(DOCUMENT, _context(fmt="upward")),
        "minutes": rendering.render_pdf(MINUTES, _context(fmt="minutes")),
    }


@pytest.fixture(scope="module")
def grid_pdfs():
    """Every format with a body of three and a half pages of punctuation-free text: page 2 is all body."""
    body = [{"text": FILLER * 40, "level": ""}]
    return {fmt: _render(fmt, {"paragraphs": body}) for fmt in FORMATS}


def _open(pdf: bytes):
    return pdfplumber.open(io.BytesIO(pdf))


def _is_red(color) -> bool:
    return color is not None and len(color) == 3 and all(abs(a - b) < 0.02 for a, b in zip(color, RED, strict=True))


def _red_bands(page) -> list[tuple[float, float, float, float]]:
    """Red filled shapes (the double lines are drawn as filled bands): (x0, x1, top, height), top to bottom."""
    shapes = [*page.rects, *page.lines]
    bands = {
        (round(s["x0"], 1), round(s["x1"], 1), round(s["top"], 1), round(s["bottom"] - s["top"], 1))
        for s in shapes
        if _is_red(s.get("non_stroking_color")) or _is_red(s.get("stroking_color"))
    }
    return sorted(bands, key=lambda band: band[2])


def _page_number_chars(page):
    return [c for c in page.chars if c["top"] > 262 * MM]


def _page_number_text(page) -> str:
    return "".join(c["text"] for c in sorted(_page_number_chars(page), key=lambda c: c["x0"])).replace(" ", "")


def _baseline(char) -> float:
    return char["matrix"][5]  # the text origin: the same for every glyph of a line, whatever its face


def _lines(page, size: float = 16) -> list[list[dict]]:
    """The lines of `size`-pt text on a page (page numbers excluded), top to bottom, each left to right."""
    lines = defaultdict(list)
    for char in page.chars:
        if char not in _page_number_chars(page) and abs(char["size"] - size) < 0.1 and char["text"].strip():
            lines[round(_baseline(char), 1)].append(char)
    return [sorted(lines[y], key=lambda c: c["x0"]) for y in sorted(lines, reverse=True)]


def _text(chars) -> str:
    return "".join(c["text"] for c in chars)


# --- Layout ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a4_and_text_block_inside_the_margins(format_pdfs, fmt):
    with _open(format_pdfs[fmt]) as pdf:
        assert len(pdf.pages) == 3
        for number, page in enumerate(pdf.pages, start=1):
            assert (page.width, page.height) == pytest.approx(A4, abs=0.5)
            body = [c for c in page.chars if c not in _page_number_chars(page)]
            if number == 1 and fmt == "letter":
                body = [c for c in body if c["top"] > 36 * MM]  # the letterhead's name, 30 mm from the top
            assert body
            assert min(c["x0"] for c in body) >= 28 * MM - TOLERANCE
            assert max(c["x1"] for c in body) <= (28 + 156) * MM + TOLERANCE
            assert min(c["top"] for c in body) >= 37 * MM - TOLERANCE
            assert max(c["bottom"] for c in body) <= (37 + 225) * MM + TOLERANCE


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_page_holds_22_lines_of_28_characters_on_the_grid(grid_pdfs, fmt):
    """GB/T 9704 §5.2.3: 28 characters a line, 22 lines a page, filling the 156 × 225 mm block."""
    with _open(grid_pdfs[fmt]) as pdf:
        assert len(pdf.pages) >= 3
        lines = _lines(pdf.pages[1])
        assert len(lines) == 22, [_text(line) for line in lines]
        for line in lines:
            assert len(line) == 28, _text(line)
            for column, char in enumerate(line):  # every character on its cell
                assert char["x0"] == pytest.approx(BLOCK[0] + column * CELL, abs=0.1 * MM)
        baselines = [_baseline(line[0]) for line in lines]
        for upper, lower in itertools.pairwise(baselines):
            assert upper - lower == pytest.approx(PITCH, abs=0.05 * MM)
        # The paragraph's first line, on page 1: two characters in, 26 characters.
        first = next(line for line in _lines(pdf.pages[0]) if _text(line).startswith(FILLER[:10]))
        assert first[0]["x0"] == pytest.approx(BLOCK[0] + 2 * CELL, abs=0.1 * MM) and len(first) == 26


def _subset_of(face: str, text: str, folder: Path, *, family: str, advance: float) -> Path:
    """A stand-in for a licensed face: the open face cut to `text` (HarfBuzz), renamed `family` and with its
    advances scaled to `advance` em, as a licensed face whose characters are not 1 em wide would be."""
    from fontTools.ttLib import TTFont

    data = subsetting.subset(subsetting.OpenFace(face, family="LXGW WenKai"), text)
    font = TTFont(io.BytesIO(data))
    upem = font["head"].unitsPerEm
    font["hmtx"].metrics = {g: (round(advance * upem), lsb) for g, (_w, lsb) in font["hmtx"].metrics.items()}
    font["hhea"].advanceWidthMax = round(advance * upem)
    for record in list(font["name"].names):
        if record.nameID in (1, 3, 4, 6, 16):
            font["name"].removeNames(nameID=record.nameID)
    for name_id, value in ((1, family), (4, family), (6, "FangSongGB2312-Licensed"), (3, family)):
        font["name"].setName(value, name_id, 3, 1, 0x409)
    path = folder / "licensed-fangsong.ttf"
    font.save(path)
    return path


def test_the_grid_holds_with_a_licensed_face_of_other_advance_widths(settings, tmp_path):
    """A licensed 仿宋_GB2312 dropped into DOCUMENT_FONT_DIR sets the body, and the grid stays 28 characters
    a line even when its characters are 0.95 em wide: letter-spacing comes from the face's own advance."""
    text = FILLER + "关于背街小巷路灯整修问题的意见函"
    _subset_of(fonts.OPEN_FACES["kaiti"].path, text, tmp_path, family="仿宋_GB2312", advance=0.95)
    settings.DOCUMENT_FONT_DIRS = [str(tmp_path)]
    fonts.clear_caches()
    try:
        assert fonts.ideograph_advance("fangsong") == pytest.approx(0.95)
        assert fonts.grid()["letter_spacing"]["fangsong"] == f"{156 / 28 * MM - 0.004 - 0.95 * 16:.3f}pt"
        pdf = _render("document", {"paragraphs": [{"text": FILLER * 12, "level": ""}], "recipient": ""})
    finally:
        settings.DOCUMENT_FONT_DIRS = []
        fonts.clear_caches()
    body = FILLER * 12
    with _open(pdf) as document:
        lines = [line for line in _lines(document.pages[0]) if _text(line) in body][1:-1]  # not first nor last
    assert len(lines) >= 5
    for line in lines:
        assert all(c["width"] == pytest.approx(0.95 * 16, abs=0.01) for c in line)  # the licensed face's advance
        assert len(line) == 28, _text(line)
        # WeasyPrint writes each glyph's spacing in whole thousandths of an em (truncated): up to 0.15 mm at the
        # end of a line when the spacing is positive, as here; the standard allows 1 mm (§5.1).
        assert line[-1]["x0"] == pytest.approx(BLOCK[0] + 27 * CELL, abs=0.2 * MM)


def _inside_block(obj) -> bool:
    return (
        obj["x0"] >= BLOCK[0] - 0.3 * MM
        and obj["x1"] <= BLOCK[2] + 0.3 * MM
        and obj["top"] >= BLOCK[1] - 0.3 * MM
        and obj["bottom"] <= BLOCK[3] + 0.3 * MM
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_but_the_page_number_stands_outside_the_text_block(format_pdfs, fmt):
    """Every character, image, rule and shape lies in the 156 × 225 mm block at 28 mm / 37 mm, except the page
    number and, in the letter format (§10.1), its own marks on page 1: the issuer's name (top edge 30 mm from the
    page top) and the two red double lines (170 mm long, the lower one 20 mm above the page bottom)."""
    with _open(format_pdfs[fmt]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            numbers = _page_number_chars(page)
            assert numbers or (number == 1 and fmt == "letter")
            assert all(c["top"] - BLOCK[3] < 12 * MM for c in numbers)
            outside = [c for c in page.chars if c not in numbers and not _inside_block(c)]
            shapes = [*page.rects, *page.lines, *page.curves]
            outside += [s for s in shapes if not _inside_block(s)]
            outside += [image for image in page.images if not _inside_block(image)]
            if fmt == "letter" and number == 1:
                letterhead = [o for o in outside if o.get("object_type") == "char" and o["top"] < BLOCK[1]]
                assert _text(letterhead) == "望春门街道人大工委" and all(
                    _is_red(c["non_stroking_color"]) for c in letterhead
                )
                lines = [o for o in outside if o.get("object_type") != "char"]
                assert len(lines) == 4 and all(o["x1"] - o["x0"] == pytest.approx(170 * MM, abs=1) for o in lines)
                outside = [o for o in outside if o not in letterhead and o not in lines]
            assert outside == [], [(o.get("object_type"), o.get("text"), o["x0"] / MM, o["top"] / MM) for o in outside]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_verification_code_stands_inside_the_text_block(format_pdfs, fmt):
    with _open(format_pdfs[fmt]) as pdf:
        images = [(index, image) for index, page in enumerate(pdf.pages) for image in page.images]
        assert len(images) == 1
        index, image = images[0]
        assert _inside_block(image)
        assert image["x1"] - image["x0"] == pytest.approx(16 * MM, abs=1)
        page = pdf.pages[index]
        caption = [c for c in page.chars if c["size"] < 10 and image["bottom"] <= c["top"] < image["bottom"] + 8 * MM]
        assert _text(caption).startswith("扫码核验")
        if fmt == "minutes":  # no signature: top right of page 1, with the register number
            assert index == 0 and image["x1"] == pytest.approx(BLOCK[2], abs=0.3 * MM)
            assert image["top"] == pytest.approx(BLOCK[1], abs=0.5 * MM)
            assert "湘乡人大望工函〔2025〕3号" in _text(caption)
        else:  # beside the signature and the date, on the last page, at the left of the block
            assert index == len(pdf.pages) - 1 and image["x0"] == pytest.approx(BLOCK[0], abs=0.3 * MM)
            date = next(line for line in _lines(page) if _text(line) == "2025年3月28日")
            signature = next(line for line in _lines(page) if _text(line) == "望春门街道人大工委")
            assert signature[0]["top"] - PITCH / 2 < image["top"] and image["bottom"] < date[0]["bottom"] + PITCH / 2
            # §7.3.5.1: the date four characters in from the right, the issuing body centred over it.
            assert BLOCK[2] - date[-1]["x1"] == pytest.approx(4 * CELL, abs=1 * MM)
            middle = (date[0]["x0"] + date[-1]["x1"]) / 2
            assert (signature[0]["x0"] + signature[-1]["x1"]) / 2 == pytest.approx(middle, abs=1 * MM)


def _closing_is_kept_with_the_body(pdf_bytes: bytes, closing: str, body: str) -> int:
    """Check that the page holding the closing (the line starting with `closing`) has at least two lines of the
    body (`body`: its text) above it; return the number of pages."""
    with _open(pdf_bytes) as pdf:
        pages = [_lines(page) for page in pdf.pages]
        where = [i for i, lines in enumerate(pages) if any(_text(line).startswith(closing) for line in lines)]
        assert len(where) == 1
        lines = pages[where[0]]
        above = lines[: next(i for i, line in enumerate(lines) if _text(line).startswith(closing))]
        assert len([line for line in above if _text(line) in body]) >= 2, [_text(line) for line in lines]
        return len(pdf.pages)


# The bodies (in lines) that end around the bottom of page 1 in each format.
BODY_LINES_AROUND_PAGE_END = {"letter": range(11, 19), "document": range(7, 15), "minutes": range(3, 11)}


@pytest.mark.parametrize("fmt", BODY_LINES_AROUND_PAGE_END)
def test_never_a_page_holding_only_the_signature_or_the_lists(fmt):
    """Bodies growing a line at a time across the end of page 1: whenever the closing does not fit under the
    body, the body's last lines go over with it (break-before: avoid, widows)."""
    closing = "主持：" if fmt == "minutes" else "望春门街道人大工委"
    pages = set()
    for lines in BODY_LINES_AROUND_PAGE_END[fmt]:
        long = (FILLER * 20)[: 26 + 28 * (lines - 1)]
        # One long paragraph; or a one-line paragraph last ("特此函告。"), which takes the end of the one before.
        for texts in ([long], [long[:-28], "特此函告。"]):
            context = {"paragraphs": [{"text": t, "level": ""} for t in texts], "title": "测试", "recipient": ""}
            pages.add(_closing_is_kept_with_the_body(_render(fmt, context), closing, "".join(texts)))
    assert pages == {1, 2}  # some bodies fit on one page, the longer ones take the closing to page 2


def test_letter_red_double_lines_at_the_right_heights(letter_pdf):
    with _open(letter_pdf) as pdf:
        page = pdf.pages[0]
        issuer = [c for c in page.chars if c["top"] < 37 * MM and c["x1"] < (28 + 156) * MM and c["text"].strip()]
        assert "".join(c["text"] for c in issuer) == "望春门街道人大工委"
        assert all(_is_red(c["non_stroking_color"]) for c in issuer)
        issuer_top = min(c["top"] for c in issuer)
        assert issuer_top == pytest.approx(30 * MM, abs=2.5 * MM)  # the glyph box of the face, near 30 mm

        bands = _red_bands(page)
        assert len(bands) == 4, bands
        (t1, t2, b1, b2) = bands
        for x0, x1, _top, _height in bands:  # 170 mm long, centred on the page
            assert x1 - x0 == pytest.approx(170 * MM, abs=1)
            assert (x0 + x1) / 2 == pytest.approx(A4[0] / 2, abs=1.5 * MM)
        # Top: thick over thin, 4 mm under the issuer's name.
        assert t1[3] > t2[3] and t1[2] < t2[2]
        issuer_bottom = max(c["bottom"] for c in issuer)
        assert t1[2] - issuer_bottom == pytest.approx(4 * MM, abs=2.5 * MM)
        # Bottom: thin over thick; the lower edge 20 mm above the page bottom.
        assert b1[3] < b2[3] and b1[2] < b2[2]
        assert A4[1] - (b2[2] + b2[3]) == pytest.approx(20 * MM, abs=0.5 * MM)
        # Only the first page is the letterhead.
        assert not _red_bands(pdf.pages[1]) and not _red_bands(pdf.pages[2])


def test_document_format_has_red_masthead_and_separator(document_pdf):
    with _open(document_pdf) as pdf:
        page = pdf.pages[0]
        red_chars = [c for c in page.chars if _is_red(c["non_stroking_color"])]
        assert "".join(c["text"] for c in red_chars) == "望春门街道人大工委"
        bands = _red_bands(page)
        assert len(bands) == 1
        x0, x1, top, _ = bands[0]
        assert x1 - x0 == pytest.approx(156 * MM, abs=1)
        number = next(line for line in page.extract_text_lines() if "〔2025〕" in line["text"])
        assert top > number["bottom"]
        title = next(c for c in page.chars if c["text"] == "背")
        assert title["size"] == pytest.approx(22, abs=0.1)
        body_char = next(c for c in page.chars if c["text"] == "反")
        assert body_char["size"] == pytest.approx(16, abs=0.1)


def test_page_numbers_alternate_and_the_letter_has_none_on_page_one(letter_pdf, document_pdf):
    middle = A4[0] / 2
    with _open(letter_pdf) as pdf:
        assert _page_number_text(pdf.pages[0]) == ""
        for index in (1, 2):
            page = pdf.pages[index]
            assert _page_number_text(page) == f"—{index + 1}—"
    with _open(document_pdf) as pdf:
        for index, page in enumerate(pdf.pages):
            chars = _page_number_chars(page)
            assert _page_number_text(page) == f"—{index + 1}—"
            assert all(c["size"] == pytest.approx(14, abs=0.1) for c in chars)  # 4号
            top = min(c["top"] for c in chars)
            assert top - 262 * MM == pytest.approx(7 * MM, abs=3 * MM)  # about 7 mm under the text block
            if (index + 1) % 2:  # odd pages right, one character in
                assert min(c["x0"] for c in chars) > middle
                assert (28 + 156) * MM - max(c["x1"] for c in chars) == pytest.approx(14, abs=3)
            else:
                assert max(c["x1"] for c in chars) < middle
                assert min(c["x0"] for c in chars) - 28 * MM == pytest.approx(14, abs=3)


def test_every_character_is_in_the_pdf_and_every_font_embedded(letter_pdf):
    context = _context()
    with _open(letter_pdf) as pdf:
        text = re.sub(r"\s", "", "".join(page.extract_text() for page in pdf.pages))
        for name in RARE_NAMES.split():
            assert name in text
        for paragraph in context["paragraphs"]:
            assert re.sub(r"\s", "", paragraph["text"]) in text
        for expected in (context["title"], context["number"], "2025年3月28日", "望春门街道办事处："):
            assert expected in text
        fonts_seen = {}
        for page in pdf.pages:
            for font in resolve1(resolve1(page.page_obj.resources)["Font"]).values():
                font = resolve1(font)
                descendant = resolve1(font["DescendantFonts"])[0] if "DescendantFonts" in font else font
                descriptor = resolve1(resolve1(descendant)["FontDescriptor"])
                fonts_seen[font["BaseFont"].name] = any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
        assert fonts_seen and all(fonts_seen.values()), fonts_seen


def test_number_and_date_formats():
    assert services.format_number("湘乡人大望工函", 2025, 3) == "湘乡人大望工函〔2025〕3号"
    assert rendering.chinese_date(datetime.date(2025, 3, 8)) == "2025年3月8日"
    assert rendering.chinese_date(datetime.date(2026, 10, 28)) == "2026年10月28日"


def test_headings_get_their_levels():
    levels = [p["level"] for p in rendering.paragraphs("一、总体情况\n（二）具体做法\n正文一段。\n\n1.小项")]
    assert levels == ["h1", "h2", "", ""]


def test_the_demo_committee_minutes_are_a_jiyao_whose_lists_are_never_alone(demo_data):
    """The minutes of 望春门's last committee meeting in the demo (once two pages, page 2 holding only the issuing
    body and the date): a 纪要 of its own series, the lists kept with the body's last lines."""
    from meetings.models import Meeting, MeetingKind

    meeting = Meeting.objects.get(
        street__slug="wangchunmen", kind=MeetingKind.COMMITTEE, minutes_document__isnull=False
    )
    document = meeting.minutes_document
    assert document.kind == DocumentKind.MINUTES and "纪要〔" in document.number
    assert document.context["heading"] == "望春门街道人大工委会议纪要"
    pdf = rendering.render_pdf(document.template, services.render_context(document))
    body = "".join(paragraph["text"] for paragraph in document.context["paragraphs"]).replace(" ", "")
    _closing_is_kept_with_the_body(pdf, "主持：", body)
    with _open(pdf) as minutes:
        assert f"第{document.serial}期" in minutes.pages[0].extract_text()


# --- Fonts ---------------------------------------------------------------------------------------------------
def test_the_rare_name_characters_are_covered_and_the_supplementary_one_by_noto():
    assert fonts.missing_glyphs(RARE_NAMES) == []
    noto = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
    assert ord("𠮷") in fonts._coverage(noto)


def test_a_character_without_a_glyph_stops_rendering_naming_it():
    context = {**_context(0), "title": "关于𓀀𐀀的意见函"}
    with pytest.raises(fonts.MissingGlyphError) as error:
        rendering.render_pdf(LETTER, context)
    assert error.value.characters == ["𓀀", "𐀀"]
    assert "U+13000" in str(error.value) and "U+10000" in str(error.value)


def test_licensed_fonts_from_the_font_dir_come_first(settings, tmp_path):
    """A face dropped into DOCUMENT_FONT_DIR is declared under its own family names."""
    import shutil

    shutil.copy("/usr/share/fonts/truetype/arphic/ukai.ttc", tmp_path / "licensed.ttc")
    settings.DOCUMENT_FONT_DIRS = [str(tmp_path)]
    fonts.clear_caches()
    try:
        assert any("AR PL UKai CN" in face.families for face in fonts.licensed_faces())
        assert (tmp_path / "licensed.ttc").resolve().as_uri() in fonts.font_face_css()
        assert (tmp_path / "licensed.ttc").resolve() in fonts.font_files()
    finally:
        settings.DOCUMENT_FONT_DIRS = []
        fonts.clear_caches()


def test_the_url_fetcher_refuses_everything_outside_the_project():
    fetcher = rendering.ProjectURLFetcher()
    for url in ("http://example.com/logo.png", "https://127.0.0.1/", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(rendering.RefusedURL):
            fetcher.fetch(url)
    favicon = (Path(settings.STATICFILES_DIRS[0]) / "favicon.svg").resolve()
    assert fetcher.fetch(favicon.as_uri()).read().startswith(b"<")
    assert fetcher.fetch("data:text/plain;base64,5Lq65aSn").read() == "人大".encode()


def test_a_template_reaching_outside_fails_the_document(db, street, staff_user, settings, tmp_path):
    template_dir = tmp_path / "templates" / "documents"
    template_dir.mkdir(parents=True)
    (template_dir / "outside.html").write_text('<p>人大</p><img src="http://example.com/x.png">')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}]
    document = services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="外链",
        template_name="documents/outside.html",
        context={},
        subject=street,
        background=False,
    )
    assert document.state == DocumentState.FAILED
    assert "example.com" in document.error


# --- Numbers ---------------------------------------------------------------------------------------------------
def test_numbers_per_street_kind_and_year(db, street, other_street, staff_user):
    def issue(s, kind, day):
        return services.document_issue(
            by=staff_user,
            street=s,
            kind=kind,
            title="测试",
            template_name=LETTER,
            context={},
            subject=s,
            issued_on=day,
        )

    first = issue(street, DocumentKind.LETTER, datetime.date(2030, 1, 5))
    second = issue(street, DocumentKind.LETTER, datetime.date(2030, 2, 1))
    report = issue(street, DocumentKind.REPORT, datetime.date(2030, 2, 1))
    minutes = issue(street, DocumentKind.MINUTES, datetime.date(2030, 2, 1))
    other = issue(other_street, DocumentKind.LETTER, datetime.date(2030, 2, 1))
    next_year = issue(street, DocumentKind.LETTER, datetime.date(2031, 1, 2))
    assert [first.number, second.number, report.number, minutes.number, other.number, next_year.number] == [
        "湘乡人大望工函〔2030〕1号",
        "湘乡人大望工函〔2030〕2号",
        "湘乡人大望工报〔2030〕1号",
        "湘乡人大望工纪要〔2030〕1号",  # the 纪要 are their own series: printed 第1期
        "湘乡人大新工函〔2030〕1号",
        "湘乡人大望工函〔2031〕1号",
    ]
    NumberPrefix.objects.create(street=street, kind=DocumentKind.LETTER, prefix="望工委函")
    assert issue(street, DocumentKind.LETTER, datetime.date(2030, 3, 1)).number == "望工委函〔2030〕3号"
    with pytest.raises(ValidationError):
        issue(street, "memo", datetime.date(2030, 3, 1))


def test_the_database_refuses_a_duplicate_number(db, street, staff_user):
    from django.db import IntegrityError, transaction

    document = services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="测试",
        template_name=LETTER,
        context={},
        subject=street,
        issued_on=datetime.date(2032, 1, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(
            street=street,
            kind=document.kind,
            number="另一个",
            year=2032,
            serial=document.serial,
            title="x",
            template=LETTER,
            content_type=document.content_type,
            object_id=street.pk,
        )


@transactional_db
def test_numbers_stay_gapless_under_concurrent_issuing(demo_data):
    street = Street.objects.get(slug="wangchunmen")
    staff = User.objects.get(username="wangchunmen_staff")
    workers, per_worker = 8, 5
    barrier = threading.Barrier(workers)
    errors = []

    def issue_some():
        try:
            barrier.wait()
            for _ in range(per_worker):
                services.document_issue(
                    by=staff,
                    street=street,
                    kind=DocumentKind.LETTER,
                    title="并发",
                    template_name=LETTER,
                    context={},
                    subject=street,
                    issued_on=datetime.date(2040, 6, 1),
                )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=issue_some) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Document.objects.filter(street=street, year=2040).values_list("serial", flat=True))
    assert serials == list(range(1, workers * per_worker + 1))
    assert DocumentCounter.objects.get(street=street, kind=DocumentKind.LETTER, year=2040).last == workers * per_worker


# --- Issuing and rendering --------------------------------------------------------------------------------------
def test_issue_enqueues_after_commit_and_rendering_is_stored_once(
    db, street, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        document = services.document_issue(
            by=staff_user,
            street=street,
            kind=DocumentKind.LETTER,
            title="关于路灯问题的意见函",
            template_name=LETTER,
            context=_context(0) | {"number": "ignored"},
            subject=street,
        )
    assert document.state == DocumentState.PENDING and not document.file
    assert len(callbacks) == 1  # the render task, enqueued on commit
    rendered = services.document_render(document_id=document.pk)
    assert rendered.state == DocumentState.DONE
    data = rendered.file.read()
    assert hashlib.sha256(data).hexdigest() == rendered.sha256 and rendered.size == len(data)
    with _open(data) as pdf:
        assert rendered.number in pdf.pages[0].extract_text()  # the allocated number, not the context's
    # Idempotent: a done document is never re-rendered.
    assert services.document_render(document_id=document.pk) is None
    rendered.refresh_from_db()
    assert rendered.file.name == Document.objects.get(pk=document.pk).file.name
    # A new version is a new row with a new number.
    again = services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="关于路灯问题的意见函（修订）",
        template_name=LETTER,
        context=_context(0),
        subject=street,
        background=False,
    )
    assert again.version == 2 and again.supersedes == document and again.number != document.number
    assert list(documents_for(street)) == [again, Document.objects.get(pk=document.pk)]


def test_a_missing_glyph_marks_the_document_failed_with_the_characters(db, street, staff_user, login):
    document = services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="关于𐀀的意见函",
        template_name=LETTER,
        context={},
        subject=street,
        background=False,
    )
    assert document.state == DocumentState.FAILED and "U+10000" in document.error
    assert document.number  # the number stays taken: no gap
    client = login(staff_user)
    response = client.post(reverse("documents:retry", args=[document.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    document.refresh_from_db()
    assert document.state == DocumentState.PENDING


# --- Views -------------------------------------------------------------------------------------------------------
@pytest.fixture
def rendered(db, street, staff_user):
    return services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="关于路灯问题的意见函",
        template_name=LETTER,
        context=_context(0),
        subject=street,
        background=False,
    )


def test_download_is_scoped(rendered, login, city_user):
    for username, status in [
        ("wangchunmen_staff", 200),
        ("wangchunmen_party", 200),
        ("xiangxiang_city", 200),
        ("xinxianglu_staff", 404),
        ("wangchunmen_handling_unit", 403),
    ]:
        response = login(User.objects.get(username=username)).get(reverse("documents:download", args=[rendered.pk]))
        assert response.status_code == status, username
        if status == 200:
            data = b"".join(response.streaming_content)
            assert response["Content-Type"] == "application/pdf"
            assert hashlib.sha256(data).hexdigest() == rendered.sha256


def test_the_list_polls_while_rendering_and_links_when_done(db, street, staff_user, login, rendered):
    pending = services.document_issue(
        by=staff_user,
        street=street,
        kind=DocumentKind.LETTER,
        title="排队",
        template_name=LETTER,
        context={},
        subject=street,
    )
    client = login(staff_user)
    busy = client.get(reverse("documents:status", args=[pending.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in busy and "排队等待生成" in busy
    done = client.get(reverse("documents:status", args=[rendered.pk])).content.decode()
    assert "hx-trigger" not in done and reverse("documents:download", args=[rendered.pk]) in done


def test_public_verification_by_hash_and_by_upload(client, rendered):
    page = client.get(reverse("documents:verify_token", args=[rendered.token]))
    assert page.status_code == 200 and rendered.number in page.content.decode()
    url = reverse("documents:verify")
    assert "一致：" in client.post(url, {"number": rendered.number, "sha256": rendered.sha256.upper()}).content.decode()
    assert "不一致" in client.post(url, {"number": rendered.number, "sha256": "0" * 64}).content.decode()
    upload = io.BytesIO(rendered.file.read())
    upload.name = "presented.pdf"
    assert "一致：" in client.post(url, {"number": rendered.number, "pdf": upload}).content.decode()
    tampered = io.BytesIO(rendered.file.open("rb").read() + b"%")
    tampered.name = "tampered.pdf"
    assert "不一致" in client.post(url, {"number": rendered.number, "pdf": tampered}).content.decode()
    assert "没有这个发文字号" in client.post(url, {"number": "湘乡人大望工函〔1999〕1号"}).content.decode()
    bad = client.post(url, {"number": rendered.number, "sha256": "xyz"}).content.decode()
    assert "64位十六进制" in bad and rendered.number in bad  # what was typed is kept


def test_the_pdf_carries_the_verification_qr_code_beside_the_signature(rendered):
    assert services.render_context(rendered)["verify_qr"] == rendering.qr_data_uri(services.verify_url(rendered))
    assert services.verify_url(rendered).endswith(f"/verify/{rendered.token}/")
    with _open(rendered.file.read()) as pdf:
        assert len(pdf.pages) == 1  # a one-page letter stays one page
        (image,) = pdf.pages[0].images
        assert _inside_block(image) and image["x0"] == pytest.approx(BLOCK[0], abs=0.3 * MM)
        assert image["x1"] - image["x0"] == pytest.approx(16 * MM, abs=1)


# --- A real Celery worker -----------------------------------------------------------------------------------------
@transactional_db
def test_a_real_celery_worker_renders_an_issued_document(demo_data, tmp_path, settings):
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # leftovers of earlier runs in this test Redis db
    street = Street.objects.get(slug="wangchunmen")
    staff = User.objects.get(username="wangchunmen_staff")
    env = {
        **os.environ,
        "DATABASE_URL": _url_of(connection.settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "true",
    }
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-l", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        document = services.document_issue(
            by=staff,
            street=street,
            kind=DocumentKind.LETTER,
            title="关于路灯问题的意见函",
            template_name=LETTER,
            context=_context(0),
            subject=street,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            document.refresh_from_db()
            if document.state in (DocumentState.DONE, DocumentState.FAILED):
                break
            time.sleep(0.3)
        assert document.state == DocumentState.DONE, (document.error, log.read_text(errors="replace")[-3000:])
        data = Path(settings.MEDIA_ROOT, document.file.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document.sha256
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover
            worker.kill()
            worker.wait()


def _url_of(db: dict) -> str:
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_set_up_path_installs_the_fonts_and_the_fast_subsetter():
    root = Path(settings.BASE_DIR)
    for path in ("scripts/system-packages.sh", "Dockerfile"):
        text = (root / path).read_text()
        for package in ("libharfbuzz-subset0", "fonts-noto-cjk", "fonts-lxgw-wenkai", "fonts-arphic-ukai"):
            assert package in text, f"{path} lacks {package}"
    assert [p.name for p in fonts.open_font_files()] == [Path(p).name for p in fonts.OPEN_FONT_FILES]


def test_documents_embed_per_document_subsets_and_stay_small():
    """HarfBuzz subsets of the open faces: a one-page letter is tens of KB, not ~80 KB per CJK face."""
    assert subsetting.available()  # libharfbuzz-subset0 is part of the set-up path
    pdf = rendering.render_pdf(LETTER, _context(0))
    assert len(pdf) < 120 * 1024
    with _open(pdf) as document:
        names = {c["fontname"].split("+")[-1] for c in document.pages[0].chars}
        text = document.pages[0].extract_text()
    assert {"gongwen-xiaobiaosong-Bold", "gongwen-fangsong", "gongwen-heiti", "gongwen-kaiti"} <= names
    assert all(c in text for c in "喆堃玥赟𠮷")


def test_without_harfbuzz_subset_the_system_faces_are_used(monkeypatch):
    monkeypatch.setattr(subsetting, "available", lambda: False)
    pdf = rendering.render_pdf(LETTER, _context(0))
    with _open(pdf) as document:
        names = {c["fontname"].split("+")[-1] for c in document.pages[0].chars}
        text = document.pages[0].extract_text()
    assert not any(name.startswith("gongwen-") for name in names)
    assert all(c in text for c in "喆堃玥赟𠮷")


def test_every_character_even_the_page_numbers_comes_from_the_documents_subsets(document_pdf):
    """The page numbers ("— 2 —", written by the CSS) are in the subsets too: a character from a system face would
    make WeasyPrint read that face's whole file (26 MB for Noto Serif CJK) into memory for every document."""
    with _open(document_pdf) as pdf:
        names = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
        assert _page_number_text(pdf.pages[1]) == "—2—"
    assert names and all(name.startswith("gongwen-") for name in names), names


def test_font_facts_are_read_without_fonttools(monkeypatch):
    """Coverage, family names and advances come from HarfBuzz on the memory-mapped files: fontTools would parse
    the four CJK collections' tables into ~480 MiB of Python objects in every rendering process."""
    import fontTools.ttLib

    def refuse(*args, **kwargs):
        raise AssertionError("a font file was parsed with fontTools")

    monkeypatch.setattr(fontTools.ttLib.TTFont, "__init__", refuse)
    monkeypatch.setattr(fontTools.ttLib.TTCollection, "__init__", refuse)
    fonts.clear_caches()
    subsetting._source.cache_clear()
    try:
        assert ord("𠮷") in fonts.coverage() and fonts.missing_glyphs("𐀀") == ["𐀀"]
        assert fonts.ideograph_advance("kaiti") == 1.0
        with _open(rendering.render_pdf(LETTER, _context(0))) as pdf:
            assert "喆" in pdf.pages[0].extract_text()
    finally:
        fonts.clear_caches()
        subsetting._source.cache_clear()


def _ink(image, page, char, scale: float) -> tuple[int, int]:
    """The width and height in pixels of the dark pixels of one character on a page image, looked for in a box
    of the character's advance from 1.1 em above its baseline to 0.3 em below it."""
    baseline = page.height - _baseline(char)
    box = (char["x0"], baseline - 1.1 * char["size"], char["x0"] + char["size"], baseline + 0.3 * char["size"])
    crop = image.crop([round(v * scale) for v in box]).convert("L").point(lambda v: 255 if v < 128 else 0)
    x0, top, x1, bottom = crop.getbbox()
    return x1 - x0, bottom - top


def test_level_two_headings_are_set_as_large_as_the_body(document_pdf):
    """（一） headings are 3号 楷体 like the 3号 仿宋 body: the same size, the same cell of the grid, and glyphs drawn
    as large (the 楷体 stand-in is LXGW WenKai; AR PL UKai's ideographs are ~8 % smaller and looked a size smaller)."""
    with _open(document_pdf) as pdf:
        page = next(page for page in pdf.pages if "（一）办理要求" in page.extract_text())
        heading = next(line for line in _lines(page) if _text(line) == "（一）办理要求")
        body = next(
            line for line in _lines(page) if "办理" in _text(line) and "gongwen-fangsong" in line[0]["fontname"]
        )
        assert all("gongwen-kaiti" in c["fontname"] and c["size"] == pytest.approx(16, abs=0.01) for c in heading)
        assert [c["x0"] for c in heading] == pytest.approx([heading[0]["x0"] + i * CELL for i in range(7)], abs=0.1)
        scale = 600 / 72
        image = page.to_image(resolution=600).original
        ratios = []
        for character in "办理":
            in_heading = _ink(image, page, next(c for c in heading if c["text"] == character), scale)
            in_body = _ink(image, page, next(c for c in body if c["text"] == character), scale)
            ratios += [h / b for h, b in zip(in_heading, in_body, strict=True)]
    assert statistics.mean(ratios) > 0.93, ratios  # AR PL UKai: 0.86
