"""What the renderer needs to know about a font file, read with HarfBuzz (cffi) from the memory-mapped file.

fontTools would parse each CJK face's tables into Python objects: reading the cmaps of the four open collections
cost ~480 MiB and ~2.8 s in every rendering process. HarfBuzz reads the same tables in place: a face's code points
(`coverage`), the family names it declares (`families`) and the advance of an ideograph (`ideograph_advance`,
for the 28-character line) cost a few milliseconds and no heap. libharfbuzz is a dependency of WeasyPrint, so it
is there wherever documents render; libharfbuzz-subset (for `committee.documents.subsetting`) is optional.
"""

import functools
from dataclasses import dataclass

_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
typedef struct hb_font_t hb_font_t; typedef const struct hb_language_impl_t *hb_language_t;
typedef struct { unsigned int name_id; uint32_t var; hb_language_t language; } hb_ot_name_entry_t;
hb_blob_t* hb_blob_create_from_file(const char* file_name);
unsigned int hb_blob_get_length(hb_blob_t* blob);
void hb_blob_destroy(hb_blob_t* blob);
unsigned int hb_face_count(hb_blob_t* blob);
hb_face_t* hb_face_create(hb_blob_t* blob, unsigned int index);
void hb_face_destroy(hb_face_t* face);
unsigned int hb_face_get_upem(const hb_face_t* face);
hb_set_t* hb_set_create(void);
void hb_set_destroy(hb_set_t* set);
void hb_face_collect_unicodes(hb_face_t* face, hb_set_t* out);
int hb_set_next(const hb_set_t* set, uint32_t* codepoint);
unsigned int hb_set_next_many(const hb_set_t* set, uint32_t codepoint, uint32_t* out, unsigned int size);
const hb_ot_name_entry_t* hb_ot_name_list_names(hb_face_t* face, unsigned int* num_entries);
unsigned int hb_ot_name_get_utf8(hb_face_t* face, unsigned int name_id, hb_language_t language,
                                 unsigned int* text_size, char* text);
hb_font_t* hb_font_create(hb_face_t* face);
void hb_font_destroy(hb_font_t* font);
int hb_font_get_nominal_glyph(hb_font_t* font, uint32_t unicode, uint32_t* glyph);
int32_t hb_font_get_glyph_h_advance(hb_font_t* font, uint32_t glyph);
"""
HB_SET_VALUE_INVALID = 0xFFFFFFFF
FAMILY_NAME_IDS = (1, 16)  # font family, typographic family
IDEOGRAPHS = (0x4E00, 0x9FFF)  # CJK Unified Ideographs: every one has the same advance in a CJK face


@functools.cache
def library():
    """(ffi, libharfbuzz)."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0")


@dataclass(frozen=True)
class FaceInfo:
    index: int  # the face's number inside a collection (.ttc)
    families: tuple[str, ...]
    ideograph_advance: float | None  # in em; None when the face has no ideograph


def _names(ffi, hb, face) -> tuple[str, ...]:
    count = ffi.new("unsigned int *")
    entries = hb.hb_ot_name_list_names(face, count)
    names = set()
    for i in range(count[0]):
        entry = entries[i]
        if entry.name_id not in FAMILY_NAME_IDS:
            continue
        size = ffi.new("unsigned int *", 256)
        text = ffi.new("char[]", 256)
        hb.hb_ot_name_get_utf8(face, entry.name_id, entry.language, size, text)
        name = ffi.string(text).decode("utf-8", "replace").strip()
        if name:
            names.add(name)
    return tuple(sorted(names))


def _advance(ffi, hb, face, ideograph: int) -> float:
    font = hb.hb_font_create(face)  # scaled to the face's units per em
    try:
        glyph = ffi.new("uint32_t *")
        hb.hb_font_get_nominal_glyph(font, ideograph, glyph)
        return hb.hb_font_get_glyph_h_advance(font, glyph[0]) / hb.hb_face_get_upem(face)
    finally:
        hb.hb_font_destroy(font)


def _collect(ffi, hb, face, into: set[int]) -> int | None:
    """Add the face's code points to `into`; return its first ideograph (None if it has none)."""
    unicodes = hb.hb_set_create()
    try:
        hb.hb_face_collect_unicodes(face, unicodes)
        buffer = ffi.new("uint32_t[]", 4096)
        last = HB_SET_VALUE_INVALID  # "before the first"
        while n := hb.hb_set_next_many(unicodes, last, buffer, 4096):
            into.update(buffer[0:n])
            last = buffer[n - 1]
        ideograph = ffi.new("uint32_t *", IDEOGRAPHS[0] - 1)
        found = hb.hb_set_next(unicodes, ideograph) and ideograph[0] <= IDEOGRAPHS[1]
        return ideograph[0] if found else None
    finally:
        hb.hb_set_destroy(unicodes)


def read(path: str) -> tuple[list[FaceInfo], frozenset[int]]:
    """The faces of a font file (one, or each of a collection) and the code points any of them covers."""
    ffi, hb = library()
    blob = hb.hb_blob_create_from_file(path.encode())
    try:
        if not hb.hb_blob_get_length(blob):
            raise OSError(f"无法读取字体文件：{path}")
        faces, covered = [], set()
        for index in range(hb.hb_face_count(blob)):
            face = hb.hb_face_create(blob, index)
            try:
                ideograph = _collect(ffi, hb, face, covered)
                advance = _advance(ffi, hb, face, ideograph) if ideograph else None
                faces.append(FaceInfo(index, _names(ffi, hb, face), advance))
            finally:
                hb.hb_face_destroy(face)
        return faces, frozenset(covered)
    finally:
        hb.hb_blob_destroy(blob)
