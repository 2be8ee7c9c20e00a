"""The faces official documents are set in, and the check that every character has a glyph.

GB/T 9704-2012 names licensed faces (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312). A deployment drops its own
font files into the folders of DOCUMENT_FONT_DIRS; each face found there is declared with @font-face under the
family names it carries and is tried first. Open faces installed by the system packages (Debian's fonts-noto-cjk,
fonts-arphic-ukai) stand in for whatever is missing. A character no configured face covers is an error, never a
blank box.
"""

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTCollection, TTFont

from committee.documents.subsetting import OpenFace

FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}

# The open faces every stack ends with (files installed by fonts-noto-cjk and fonts-arphic-ukai).
OPEN_FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
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
OPEN = {
    "xiaobiaosong": ["Noto Serif CJK SC"],
    "fangsong": ["Noto Serif CJK SC"],
    "heiti": ["Noto Sans CJK SC"],
    "kaiti": ["AR PL UKai CN", "Noto Serif CJK SC"],
    "songti": ["Noto Serif CJK SC"],
}
# The open face each role is set in when the licensed one is missing; rendering hands WeasyPrint a per-document
# subset of it (committee.documents.subsetting) under the family `gongwen-<role>`.
_NOTO = "/usr/share/fonts/opentype/noto/"
OPEN_FACES = {
    "xiaobiaosong": OpenFace(_NOTO + "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    "fangsong": OpenFace(_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    "heiti": OpenFace(_NOTO + "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    "kaiti": OpenFace("/usr/share/fonts/truetype/arphic/ukai.ttc", "AR PL UKai CN"),
    "songti": OpenFace(_NOTO + "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
}
# The roles whose face is bold (小标宋 stands in as Noto Serif Bold): declared at that weight, so none is faked.
BOLD_ROLES = {"xiaobiaosong"}
STACKS = {role: LICENSED[role] + OPEN[role] for role in LICENSED}


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


def _fonts_in(path: Path) -> list[TTFont]:
    if path.suffix.lower() in {".ttc", ".otc"}:
        return list(TTCollection(str(path), lazy=True).fonts)
    return [TTFont(str(path), lazy=True)]


def _families(font: TTFont) -> tuple[str, ...]:
    names = set()
    for record in font["name"].names:
        if record.nameID in (1, 16):
            try:
                names.add(record.toUnicode().strip())
            except UnicodeDecodeError:
                continue
    return tuple(sorted(n for n in names if n))


def font_dirs() -> list[Path]:
    return [Path(d) for d in settings.DOCUMENT_FONT_DIRS]


@functools.cache
def licensed_faces() -> tuple[Face, ...]:
    """The faces dropped into DOCUMENT_FONT_DIRS, with the family names they declare."""
    faces = []
    for folder in font_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES:
                for index, font in enumerate(_fonts_in(path)):
                    faces.append(Face(path.resolve(), index, _families(font)))
    return tuple(faces)


def open_font_files() -> list[Path]:
    return [Path(p) for p in OPEN_FONT_FILES if Path(p).exists()]


def font_files() -> list[Path]:
    """Every file the documents' fonts come from: the only files the renderer may read besides static files."""
    return [face.path for face in licensed_faces()] + open_font_files()


@functools.cache
def _coverage(path: Path) -> frozenset[int]:
    covered: set[int] = set()
    for font in _fonts_in(path):
        covered.update(font.getBestCmap() or {})
    return frozenset(covered)


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
