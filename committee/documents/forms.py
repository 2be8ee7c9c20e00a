import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    """A presented document: its number, and either its SHA-256 or the PDF itself."""

    number = forms.CharField(label=_("发文字号"), max_length=60, help_text=_("如：湘乡人大望工函〔2025〕3号"))
    sha256 = forms.CharField(label=_("文件的 SHA-256 值"), max_length=64, required=False)
    pdf = forms.FileField(label=_("或上传 PDF 文件"), required=False)

    def clean_sha256(self):
        value = self.cleaned_data["sha256"].strip().lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ValidationError(_("SHA-256 值应为64位十六进制字符。"))
        return value

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > MAX_PDF_BYTES:
            raise ValidationError(_("文件过大（不超过20MB）。"))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("pdf")
        if upload:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            cleaned["sha256"] = digest.hexdigest()
            if self.errors:
                # A file input cannot be filled again: keep what the file was for, its hash, in the form shown again.
                self.data = self.data.copy()
                self.data["sha256"] = cleaned["sha256"]
                self["sha256"].help_text = _("已按所选文件“%(name)s”计算，无需重新选择文件。") % {"name": upload.name}
        return cleaned
