import time

from django.core.management.base import BaseCommand, CommandError

from committee import demo
from committee.documents.models import Document, DocumentState

PAUSE_BETWEEN_STEPS = 0.3  # seconds


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data for Xiangxiang's four streets (safe to run again). The demo's official "
        "documents are left to the Celery worker (`make run` starts it) unless --render-now is given. "
        "`make run` seeds in two parts: --accounts (streets and accounts: a login works at once) before it serves, "
        "--rest (every other step, each committed on its own) in the background while it serves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--render-now", action="store_true", help="render the demo's PDFs here and now (about 30 s) instead"
        )
        part = parser.add_mutually_exclusive_group()
        part.add_argument(
            "--accounts", action="store_true", help="only the municipality, the streets and the demo accounts"
        )
        part.add_argument(
            "--rest", action="store_true", help="every step after the accounts, each committed on its own"
        )

    def handle(self, *args, **options):
        background = not options["render_now"]
        if options["rest"]:
            self._seed_rest(background)
            return
        if options["accounts"]:
            accounts = demo.seed_accounts(background=background)
            self.stdout.write(self.style.SUCCESS(f"演示账号已就绪。所有演示账号的密码：{demo.DEMO_PASSWORD}"))
            self.stdout.write("其余演示数据（会议、案件、表决……）正在后台生成，页面随之显示。")
        else:
            accounts = demo.seed(background=background)
            self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。所有演示账号的密码：{demo.DEMO_PASSWORD}"))
            self._pending_documents()
        for username, full_name, what in accounts:
            self.stdout.write(f"  {username:<28} {full_name:<6} {what}")

    def _seed_rest(self, background: bool) -> None:
        from committee.models import Street

        if not Street.objects.filter(slug__in=demo.STREET_SLUGS).exists():
            raise CommandError("先运行 seed_demo --accounts（或不带参数的 seed_demo）。")
        started = time.monotonic()
        for name in demo.seed_rest(background=background):
            self.stdout.write(f"演示数据：{name} 已生成（{time.monotonic() - started:.0f} 秒）")
            # Let the requests waiting for SQLite's write lock (a login, a page's session) have it before the
            # next step: a waiting connection polls every ≤100 ms, so without a pause this process takes the lock
            # again at once and a login can wait through several steps.
            time.sleep(PAUSE_BETWEEN_STEPS)
        self.stdout.write(self.style.SUCCESS(f"演示数据已全部就绪（{time.monotonic() - started:.0f} 秒）。"))
        self._pending_documents()

    def _pending_documents(self) -> None:
        pending = Document.objects.filter(state=DocumentState.PENDING).count()
        if pending:
            self.stdout.write(f"{pending} 份公文的 PDF 等待后台生成（由 make run 启动的 Celery worker 处理）。")
