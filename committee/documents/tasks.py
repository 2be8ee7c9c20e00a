from celery import shared_task

from committee.documents import services


@shared_task(name="documents.render_document", acks_late=True)
def render_document(document_id: int) -> None:
    """Render and store one issued document (thin: the work is in services.document_render)."""
    services.document_render(document_id=document_id)


@shared_task(name="documents.enqueue_pending_documents")
def enqueue_pending_documents() -> int:
    return services.enqueue_pending()
