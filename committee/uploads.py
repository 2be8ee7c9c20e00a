"""Files chosen on a form outlive a refusal and a confirmation page.

A browser cannot put a file back into a file input, so a form that comes back with an error (or goes on to a
page that asks before sending) would lose the photos a user chose. Instead the files of that submission are stored
in a holding area (`held/<user>/<key>/` in the default storage) and the form carries a signed token naming them in
a hidden field; it shows "已选文件：x.jpg（保留）" with a remove box. When the form finally succeeds, the files go
to the service like fresh uploads and the view calls `form.release_files()`; whatever is left is removed after
`UPLOAD_HOLD_HOURS` by the beat task `uploads.clean_held`.

Use: a form inherits `KeepFilesForm` (constructed with `owner=request.user`) and declares `KeptFilesField`s. Any
error added to the form keeps its files; a view showing a confirmation page calls `form.keep_files()` itself and
puts `form.carried_fields()` in the confirming form.
"""

import contextlib
import dataclasses
import datetime
import logging
import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

HOLD_DIR = "held"
SALT = "committee.uploads.held"


@dataclasses.dataclass(frozen=True)
class HeldFile:
    """A file kept for its owner. Services take it like an upload: `name`, `size` and `chunks()`."""

    key: str  # its folder under held/<owner>/, what the remove box posts
    path: str  # the storage name
    name: str  # the name it had on the user's device
    size: int

    def chunks(self, chunk_size: int = 64 * 1024):
        with default_storage.open(self.path, "rb") as stream:
            while chunk := stream.read(chunk_size):
                yield chunk


@dataclasses.dataclass(frozen=True)
class Chosen:
    """What a kept-files input posted: new uploads, the token of the kept ones, the keys ticked for removal."""

    new: tuple = ()
    token: str = ""
    removed: frozenset = frozenset()


def own_name(upload) -> str:
    """The file's name without any folder a browser may send."""
    return (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]


def suffix_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _folder(owner) -> str:
    return f"{HOLD_DIR}/{owner.pk}"


def hold(owner, uploads) -> list[HeldFile]:
    """Store uploads in the owner's holding area."""
    held = []
    for upload in uploads:
        name = own_name(upload)[:200]
        key = secrets.token_hex(8)
        suffix = suffix_of(name)[:8]
        path = default_storage.save(f"{_folder(owner)}/{key}/file{'.' + suffix if suffix else ''}", upload)
        held.append(HeldFile(key=key, path=path, name=name, size=upload.size))
    return held


def token_for(owner, held: list[HeldFile]) -> str:
    if not held:
        return ""
    rows = [[h.key, h.path, h.name, h.size] for h in held]
    return signing.dumps({"u": owner.pk, "f": rows}, salt=SALT, compress=True)


def from_token(owner, token: str) -> tuple[list[HeldFile], list[str]]:
    """The owner's files a token names: (still held, names of those already cleaned up). A token that is not
    ours, or another person's, names nothing."""
    if not token:
        return [], []
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return [], []
    if not isinstance(data, dict) or data.get("u") != owner.pk:
        return [], []
    held, missing = [], []
    for key, path, name, size in data.get("f", ()):
        if not path.startswith(f"{_folder(owner)}/{key}/"):
            continue
        if default_storage.exists(path):
            held.append(HeldFile(key=key, path=path, name=name, size=size))
        else:
            missing.append(name)
    return held, missing


def release(held) -> None:
    """Delete held files (used, or removed by their owner)."""
    for item in held:
        default_storage.delete(item.path)
        _remove_empty(item.path.rsplit("/", 1)[0])


def _remove_empty(folder: str) -> None:
    """Remove an emptied key folder (only storages with a local path have folders to remove)."""
    try:
        path = default_storage.path(folder)
    except NotImplementedError:
        return
    with contextlib.suppress(OSError):  # not empty, or already gone
        Path(path).rmdir()


def clean_held(now: datetime.datetime | None = None) -> int:
    """Delete held files older than UPLOAD_HOLD_HOURS; returns how many. Run by the beat task uploads.clean_held."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.UPLOAD_HOLD_HOURS)
    if not default_storage.exists(HOLD_DIR):
        return 0
    removed = 0
    owners, _files = default_storage.listdir(HOLD_DIR)
    for owner in owners:
        keys, _files = default_storage.listdir(f"{HOLD_DIR}/{owner}")
        for key in keys:
            folder = f"{HOLD_DIR}/{owner}/{key}"
            _dirs, files = default_storage.listdir(folder)
            old = [
                f"{folder}/{name}" for name in files if default_storage.get_modified_time(f"{folder}/{name}") < cutoff
            ]
            for path in old:
                default_storage.delete(path)
            removed += len(old)
            if old and len(old) == len(files):  # an empty folder may be one `hold` is about to write into
                _remove_empty(folder)
    if removed:
        logger.info("uploads: removed %d held files older than %d hours", removed, settings.UPLOAD_HOLD_HOURS)
    return removed


class KeptFilesInput(forms.Widget):
    """A file input (several files) that also lists the files kept from an earlier submission, each with a
    remove box, and carries their token in a hidden field `<name>_kept`."""

    template_name = "committee/widgets/kept_files_input.html"
    needs_multipart_form = True
    input_type = "file"

    def __init__(self, attrs=None):
        super().__init__({"multiple": True, **(attrs or {})})
        self.kept: list[HeldFile] = []
        self.owner = None

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.kept = list(self.kept)
        return copy

    def value_from_datadict(self, data, files, name):
        return Chosen(
            new=tuple(files.getlist(name)) if files else (),
            token=data.get(f"{name}_kept", ""),
            removed=frozenset(data.getlist(f"{name}_remove")) if hasattr(data, "getlist") else frozenset(),
        )

    def value_omitted_from_data(self, data, files, name):
        return False

    def format_value(self, value):
        return None  # a file input never shows a value

    def token(self) -> str:
        return token_for(self.owner, self.kept) if self.owner is not None else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        context["widget"].update(
            kept=self.kept, token=self.token(), kept_name=f"{name}_kept", remove_name=f"{name}_remove"
        )
        return context


class KeptFilesField(forms.Field):
    """Several files in one input (photos from a phone), checked one by one (`suffixes`, `max_bytes`) and kept
    across refusals by `KeepFilesForm`. Cleans to a list of uploads and `HeldFile`s."""

    widget = KeptFilesInput

    def __init__(self, *, suffixes=(), kinds="", max_bytes=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.suffixes = frozenset(suffixes)
        self.kinds = kinds or "、".join(sorted(self.suffixes))  # how the refusal names the accepted kinds
        self.max_bytes = max_bytes
        self.missing: list[str] = []

    def refusal(self, upload) -> str:
        """Why one file cannot be taken ("" when it can)."""
        name = own_name(upload)
        if self.suffixes and suffix_of(name) not in self.suffixes:
            return _("“%(name)s”的格式不支持，请选择%(kinds)s文件。") % {"name": name, "kinds": self.kinds}
        if self.max_bytes is not None and upload.size > self.max_bytes:
            return _("“%(name)s”超过 %(mb)d MB。") % {"name": name, "mb": self.max_bytes // (1024 * 1024)}
        return ""

    def clean(self, value):
        value = value or Chosen()
        errors = [message for message in map(self.refusal, value.new) if message]
        if self.missing:
            errors.append(
                ngettext(
                    "已选文件保留超过 %(hours)d 小时已清除，请重新选择：%(names)s",
                    "已选文件保留超过 %(hours)d 小时已清除，请重新选择：%(names)s",
                    len(self.missing),
                )
                % {"hours": settings.UPLOAD_HOLD_HOURS, "names": "、".join(self.missing)}
            )
        if errors:
            raise forms.ValidationError(errors)
        files = [*self.widget.kept, *value.new]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class KeepFilesForm(forms.Form):
    """A form whose `KeptFilesField`s keep their files: any error added to it stores the files of the
    submission; `keep_files()` does so for a confirmation page; `release_files()` after success."""

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self._kept_now = False
        for name, field in self._file_fields():
            field.widget.owner = owner
            if self.is_bound:
                chosen = self[name].data
                held, missing = from_token(owner, chosen.token)
                release([h for h in held if h.key in chosen.removed])
                field.widget.kept = [h for h in held if h.key not in chosen.removed]
                field.missing = missing

    def _file_fields(self):
        return [(name, field) for name, field in self.fields.items() if isinstance(field, KeptFilesField)]

    def add_error(self, field, error):
        super().add_error(field, error)
        self.keep_files()

    def keep_files(self) -> None:
        """Store this submission's acceptable new files, so the form shown again still has them."""
        if not self.is_bound or self._kept_now:
            return
        self._kept_now = True
        for name, field in self._file_fields():
            new = [upload for upload in self[name].data.new if not field.refusal(upload)]
            field.widget.kept = [*field.widget.kept, *hold(self.owner, new)]

    def kept_files(self, name: str) -> list[HeldFile]:
        return self.fields[name].widget.kept

    def release_files(self) -> None:
        """After success: the services have copied the kept files; delete them from the holding area."""
        for _name, field in self._file_fields():
            release(field.widget.kept)
            field.widget.kept = []

    def carried_fields(self):
        """Every field as hidden inputs (file fields as their token), for a page that confirms before sending."""
        parts = [
            format_html('<input type="hidden" name="{}_kept" value="{}">', bound.html_name, bound.field.widget.token())
            if isinstance(bound.field, KeptFilesField)
            else bound.as_hidden()
            for bound in self
        ]
        return format_html_join("", "{}", ((part,) for part in parts))
