from django.core.management.base import BaseCommand

from committee import demo
from committee.documents.models import Document, DocumentState


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data for Xiangxiang's four streets (safe to run again). The demo's official "
        "documents are left to the Celery worker (`make run` starts it) unless --render-now is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--render-now", action="store_true", help="render the demo's PDFs here and now (about 30 s) instead"
        )

    def handle(self, *args, **options):
        accounts = demo.seed(background=not options["render_now"])
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。所有演示账号的密码：{demo.DEMO_PASSWORD}"))
        pending = Document.objects.filter(state=DocumentState.PENDING).count()
        if pending:
            self.stdout.write(f"{pending} 份公文的 PDF 等待后台生成（由 make run 启动的 Celery worker 处理）。")
        for username, full_name, what in accounts:
            self.stdout.write(f"  {username:<28} {full_name:<6} {what}")
