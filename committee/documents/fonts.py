"""The faces official documents are set in, the check that every character has a glyph, and the 28 × 22 grid.

GB/T 9704-2012 names licensed faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312). A deployment drops its own
font files into the folders of DOCUMENT_FONT_DIRS; each face found there is declared with @font-face under the
family names it carries and is tried first. Open faces installed by the system packages (Debian's fonts-noto-cjk,
fonts-lxgw-wenkai, fonts-arphic-ukai) stand in for whatever is missing. A character no configured face covers is
an error, never a blank box.

Everything about a font file (code points, family names, advance width) is read with HarfBuzz from the
memory-mapped file (committee.documents.harfbuzz), once per process: no table is parsed into Python objects.
"""

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from committee.documents import harfbuzz
from committee.documents.subsetting import OpenFace

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}

_NOTO = "/usr/share/fonts/opentype/noto/"
_WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
# The open faces every stack ends with (files installed by fonts-noto-cjk, fonts-lxgw-wenkai, fonts-arphic-ukai).
OPEN_FONT_FILES = [
    _NOTO + "NotoSerifCJK-Regular.ttc",
    _NOTO + "NotoSerifCJK-Bold.ttc",
    _NOTO + "NotoSansCJK-Regular.ttc",
    _WENKAI,
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
]

# Each role of the standard: the licensed faces' names (tried first), then the open stand-ins (fontconfig families).
LICENSED = {
    "xiaobiaosong": ["方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"],
    "fangsong": ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"],
    "heiti": ["黑体", "SimHei"],
    "kaiti": ["楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"],
    "songti": ["宋体", "SimSun"],
}
# 楷体 stands in as LXGW WenKai, whose ideographs fill the em like the body's Noto Serif (AR PL UKai's are drawn
# ~8 % smaller: a 3号 heading in it looked a size smaller than the 3号 body); UKai covers what WenKai lacks.
OPEN = {
    "xiaobiaosong": ["Noto Serif CJK SC"],
    "fangsong": ["Noto Serif CJK SC"],
    "heiti": ["Noto Sans CJK SC"],
    "kaiti": ["LXGW WenKai", "AR PL UKai CN", "Noto Serif CJK SC"],
    "songti": ["Noto Serif CJK SC"],
}
# The open face each role is set in when the licensed one is missing; rendering hands WeasyPrint a per-document
# subset of it (committee.documents.subsetting) under the family `gongwen-<role>`.
OPEN_FACES = {
    "xiaobiaosong": OpenFace(_NOTO + "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "fangsong": OpenFace(_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "heiti": OpenFace(_NOTO + "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    "kaiti": OpenFace(_WENKAI, "LXGW WenKai"),
    "songti": OpenFace(_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
}
# The roles whose face is bold (小标宋 stands in as Noto Serif Bold): declared at that weight, so none is faked.
BOLD_ROLES = {"xiaobiaosong"}
STACKS = {role: LICENSED[role] + OPEN[role] for role in LICENSED}

# GB/T 9704-2012 §5.2: the text block is 156 × 225 mm and holds 22 lines of 28 characters of 3号 (16 pt).
PT_PER_MM = 72 / 25.4
BLOCK_WIDTH_PT = 156 * PT_PER_MM
BLOCK_HEIGHT_PT = 225 * PT_PER_MM
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
BODY_SIZE_PT = 16.0
# A hair under the exact cell and pitch, so that rounding never pushes the 28th character or the 22nd line over.
SLACK_PT = 0.004


class MissingGlyphError(ValueError):
    """A character of the document that no configured font can draw."""

    def __init__(self, characters: list[str]):
        self.characters = characters
        listed = "、".join(f"“{c}”(U+{ord(c):04X})" for c in characters)
        super().__init__(
            f"以下字符在已配置的字体中没有字形，无法生成公文：{listed}。请在 DOCUMENT_FONT_DIRS 中补充字体。"
        )


@dataclass(frozen=True)
class Face:
    path: Path
    index: int  # the face's number inside a collection (.ttc)
    families: tuple[str, ...]
    ideograph_advance: float | None = None  # em


@functools.cache
def _read(path: Path) -> tuple[tuple[harfbuzz.FaceInfo, ...], frozenset[int]]:
    faces, covered = harfbuzz.read(str(path))
    return tuple(faces), covered


def faces_in(path: Path) -> tuple[harfbuzz.FaceInfo, ...]:
    """The faces of a font file (one, or each of a collection): family names and ideograph advance."""
    return _read(path)[0]


def font_dirs() -> list[Path]:
    return [Path(d) for d in settings.DOCUMENT_FONT_DIRS]


@functools.cache
def licensed_faces() -> tuple[Face, ...]:
    """The faces dropped into DOCUMENT_FONT_DIRS, with the family names they declare."""
    faces = []
    for folder in font_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES:
                for info in faces_in(path.resolve()):
                    faces.append(Face(path.resolve(), info.index, info.families, info.ideograph_advance))
    return tuple(faces)


def open_font_files() -> list[Path]:
    return [Path(p) for p in OPEN_FONT_FILES if Path(p).exists()]


def font_files() -> list[Path]:
    """Every file the documents' fonts come from: the only files the renderer may read besides static files."""
    return [face.path for face in licensed_faces()] + open_font_files()


def _coverage(path: Path) -> frozenset[int]:
    return _read(path)[1]


@functools.cache
def coverage() -> frozenset[int]:
    """The code points some configured face can draw."""
    covered: set[int] = set()
    for path in dict.fromkeys(font_files()):
        covered |= _coverage(path)
    return frozenset(covered)


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` no configured face covers (controls, format characters and spaces need none)."""
    covered = coverage()
    missing = []
    for character in dict.fromkeys(text):
        if ord(character) in covered or character.isspace() or unicodedata.category(character) in ("Cc", "Cf"):
            continue
        missing.append(character)
    return missing


def check_glyphs(text: str) -> None:
    missing = missing_glyphs(text)
    if missing:
        raise MissingGlyphError(missing)


def subset_family(role: str) -> str:
    return f"gongwen-{role}"


def css_family(role: str, *, subset: bool = False) -> str:
    """The font-family list of a role: licensed names, then (when rendering with subsets) the document's subset
    of the open face, then the open faces themselves for whatever the subset lacks."""
    names = LICENSED[role] + ([subset_family(role)] if subset else []) + OPEN[role]
    return ", ".join(f'"{name}"' for name in names) + ", serif"


def font_face_css() -> str:
    """@font-face rules for the licensed faces, under every family name each declares."""
    rules = []
    for face in licensed_faces():
        for family in face.families:
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("{face.path.as_uri()}"); }}')
    return "\n".join(rules)


def ideograph_advance(role: str) -> float:
    """The advance (in em) of an ideograph in the face a role's text is set in: the first licensed face in
    DOCUMENT_FONT_DIRS that declares one of the role's names, else the open stand-in. CJK faces are 1 em."""
    for name in LICENSED[role]:
        for face in licensed_faces():
            if name in face.families and face.ideograph_advance:
                return face.ideograph_advance
    stand_in = OPEN_FACES[role]
    if Path(stand_in.path).exists():
        for info in faces_in(Path(stand_in.path)):
            if stand_in.family in info.families and info.ideograph_advance:
                return info.ideograph_advance
    return 1.0


def _pt(value: float) -> str:
    return f"{value:.3f}pt"


@functools.cache
def grid() -> dict:
    """The CSS lengths of the 28 × 22 grid (GB/T 9704-2012 §5.2.3) at 3号: each character takes 156/28 mm
    whatever the face's advance (letter-spacing makes up the difference: −0.207 pt with a 1-em face at 16 pt),
    each line 225/22 mm. `indent` is two characters, `cells.n` n characters; `letter_spacing` is per role."""
    cell = BLOCK_WIDTH_PT / CHARS_PER_LINE - SLACK_PT
    return {
        "size": _pt(BODY_SIZE_PT),
        "cell": _pt(cell),
        "indent": _pt(2 * cell),
        "cells": [_pt(n * cell) for n in range(CHARS_PER_LINE + 1)],  # {{ grid.cells.4 }}: four characters
        "line": _pt(BLOCK_HEIGHT_PT / LINES_PER_PAGE - SLACK_PT),
        "letter_spacing": {role: _pt(cell - ideograph_advance(role) * BODY_SIZE_PT) for role in LICENSED},
    }


def clear_caches() -> None:
    """Forget what was read about the fonts (after DOCUMENT_FONT_DIRS changed: tests)."""
    for cached in (_read, licensed_faces, coverage, grid):
        cached.cache_clear()
