from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "committee.documents"
    label = "documents"
    verbose_name = _("公文")

    def ready(self):
        import logging

        # WeasyPrint logs every step at INFO, from its import on; keep its warnings only.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from auditlog.registry import auditlog

        from committee.documents.models import Document, DocumentCounter

        auditlog.register(Document)
        auditlog.register(DocumentCounter)
