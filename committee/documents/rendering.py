"""The one renderer of official documents (公文): a Django template → HTML → PDF with WeasyPrint.

`render_pdf` is synchronous; views never call it, the Celery task does (committee.documents.tasks). WeasyPrint
reads nothing but the project's static files and the configured font files: every other URL is refused.
"""

import base64
import functools
import io
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
from django.conf import settings
from django.template.loader import render_to_string

from committee.documents import fonts, subsetting

# WeasyPrint is imported where a PDF is made (~1 s of every process's start otherwise: the web server's, every
# manage.py command's); the worker imports it with its first render.


class RefusedURL(ValueError):
    """WeasyPrint asked for something outside the project."""


def _static_roots() -> list[Path]:
    return [Path(d).resolve() for d in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]]


@functools.cache
def _project_url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectURLFetcher(URLFetcher):
        """Serve data: URIs, the project's static files and the configured font files; refuse everything else
        (and stop the rendering: a template that reaches outside the project is a defect)."""

        def __init__(self, extra_files: tuple[Path, ...] = ()):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=True)
            self.extra_files = {p.resolve() for p in extra_files}

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                fonts_allowed = {p.resolve() for p in fonts.font_files()} | self.extra_files
                if path.is_file() and (path in fonts_allowed or any(path.is_relative_to(r) for r in _static_roots())):
                    return URLFetcherResponse(url, path.read_bytes())
            raise RefusedURL(f"公文渲染拒绝读取项目以外的地址：{url}")

    return ProjectURLFetcher


def __getattr__(name: str):
    if name == "ProjectURLFetcher":  # WeasyPrint's URLFetcher made to read the project's files only
        return _project_url_fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Text(HTMLParser):
    """The characters a reader sees: text nodes, outside <style> and <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def qr_data_uri(text: str) -> str:
    """A QR code as an inline PNG data URI (no file, no fetch)."""
    image = qrcode.make(text, border=0, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


SUBSET_MARKER = "/* gongwen-subset-faces */"
# What the templates' CSS writes itself (the page numbers "— 12 —"): in every subset too, or WeasyPrint would fall
# back on the system face for them and read its whole file (26 MB for Noto Serif CJK) into memory per document.
GENERATED_TEXT = "— 0123456789"


def render_html(template_name: str, context: dict, *, subset: bool = False) -> str:
    context = {
        "font_face_css": fonts.font_face_css() + "\n" + SUBSET_MARKER,
        **{f"font_{role}": fonts.css_family(role, subset=subset) for role in fonts.STACKS},
        "grid": fonts.grid(),
        **context,
    }
    return render_to_string(template_name, context)


def _subset_faces(text: str, folder: Path) -> tuple[str, tuple[Path, ...]]:
    """@font-face rules for this document's subsets of the open faces, and the files they are in."""
    rules, files, made = [], [], {}
    for role, face in fonts.OPEN_FACES.items():
        if face not in made:
            data = subsetting.subset(face, text)
            path = folder / f"face-{len(made)}.font"
            if data:
                path.write_bytes(data)
                files.append(path)
            made[face] = path if data else None
        if made[face] is not None:
            weight = "bold" if role in fonts.BOLD_ROLES else "normal"
            rules.append(
                f'@font-face {{ font-family: "{fonts.subset_family(role)}"; font-weight: {weight}; '
                f'src: url("{made[face].as_uri()}"); }}'
            )
    return "\n".join(rules), tuple(files)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a document template to PDF bytes. Raises fonts.MissingGlyphError, naming the characters,
    when some character of the document has no glyph in the configured fonts."""
    use_subsets = subsetting.available()
    html = render_html(template_name, context, subset=use_subsets)
    text = visible_text(html)
    fonts.check_glyphs(text)
    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    with tempfile.TemporaryDirectory(prefix="gongwen-") as folder:
        extra: tuple[Path, ...] = ()
        if use_subsets:
            rules, extra = _subset_faces(text + GENERATED_TEXT, Path(folder))
            html = html.replace(SUBSET_MARKER, rules, 1)
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        document = HTML(string=html, base_url=base_url, url_fetcher=_project_url_fetcher_class()(extra))
        return document.write_pdf(font_config=FontConfiguration())


def chinese_date(day) -> str:
    """GB/T 9704: Arabic numerals, no leading zeros: 2025年3月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


_LEVEL_1 = tuple("一二三四五六七八九十")


def paragraphs(text: str) -> list[dict]:
    """Body text, one paragraph a line, with the heading level GB/T 9704 sets in its own face:
    "一、" level 1 (黑体), "（一）" level 2 (楷体), everything else body text (仿宋)."""
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        level = ""
        if line.startswith(_LEVEL_1) and "、" in line[:4]:
            level = "h1"
        elif line.startswith(("（", "(")) and line[1:2] in _LEVEL_1:
            level = "h2"
        result.append({"text": line, "level": level})
    return result
