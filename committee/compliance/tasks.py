from celery import shared_task

from committee.compliance import services


@shared_task(name="compliance.render_export", acks_late=True)
def render_export(export_id: int) -> None:
    """Render one dashboard PDF (thin: the work is in services.export_render)."""
    services.export_render(export_id=export_id)
