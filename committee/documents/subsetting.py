"""Per-document subsets of the open CJK faces, made with HarfBuzz before WeasyPrint sees them.

WeasyPrint keeps glyph ids when it subsets (HB_SUBSET_FLAGS_RETAIN_GIDS), so a CFF face like Noto CJK keeps an
empty slot for every glyph up to the highest one used: ~78 KB per face and ~80 ms per document, whatever the text.
Handing WeasyPrint a face that holds only the document's characters (a few ms with libharfbuzz-subset, which the
set-up path installs) makes that overhead vanish. Without the library the system faces are used as before.
"""

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t* hb_blob_create_from_file(const char* file_name);
hb_face_t* hb_face_create(hb_blob_t* blob, unsigned int index);
void hb_blob_destroy(hb_blob_t* blob);
void hb_face_destroy(hb_face_t* face);
hb_subset_input_t* hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t* input);
hb_set_t* hb_subset_input_unicode_set(hb_subset_input_t* input);
void hb_set_add(hb_set_t* set, uint32_t codepoint);
void hb_subset_input_set_flags(hb_subset_input_t* input, unsigned value);
hb_face_t* hb_subset_or_fail(hb_face_t* source, const hb_subset_input_t* input);
hb_blob_t* hb_face_reference_blob(hb_face_t* face);
const char* hb_blob_get_data(hb_blob_t* blob, unsigned int* length);
"""
HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4
HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200


@dataclass(frozen=True)
class OpenFace:
    path: str
    family: str  # the face inside the collection


@functools.cache
def _harfbuzz():
    """(ffi, harfbuzz, harfbuzz-subset), or None when the libraries are missing."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError) as error:
        logger.warning("libharfbuzz-subset is not available (%s): documents embed larger font subsets", error)
        return None


def available() -> bool:
    return _harfbuzz() is not None


@functools.cache
def _source(face: OpenFace):
    """The HarfBuzz face of one face of a collection, loaded (memory-mapped) once per process; the face's number
    in the collection is found by its family name (read by HarfBuzz too: fontTools would parse every face)."""
    from committee.documents import fonts

    _ffi, hb, _ = _harfbuzz()
    index = next(info.index for info in fonts.faces_in(Path(face.path)) if face.family in info.families)
    blob = hb.hb_blob_create_from_file(face.path.encode())
    return hb.hb_face_create(blob, index)


def subset(face: OpenFace, text: str) -> bytes | None:
    """A font file holding only the glyphs of `text`'s characters (None when HarfBuzz is missing)."""
    if _harfbuzz() is None or not Path(face.path).exists():
        return None
    ffi, hb, hbs = _harfbuzz()
    source = _source(face)
    request = hbs.hb_subset_input_create_or_fail()
    try:
        unicodes = hbs.hb_subset_input_unicode_set(request)
        for character in set(text):
            hb.hb_set_add(unicodes, ord(character))
        hbs.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE)
        result = hbs.hb_subset_or_fail(source, request)
        if result == ffi.NULL:
            return None
        blob = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(hb.hb_blob_get_data(blob, length), length[0])[:]
        hb.hb_blob_destroy(blob)
        hb.hb_face_destroy(result)
        return data or None
    finally:
        hbs.hb_subset_input_destroy(request)
