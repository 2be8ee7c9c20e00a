from django.contrib.contenttypes.models import ContentType

from committee.documents.models import Document


def documents_for(obj):
    """The documents issued for one record, newest version first."""
    return Document.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).order_by(
        "-version", "-pk"
    )
