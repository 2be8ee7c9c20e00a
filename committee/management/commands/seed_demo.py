from django.core.management.base import BaseCommand

from committee import demo


class Command(BaseCommand):
    help = "Create or refresh the demo data for Xiangxiang's four streets (safe to run again)."

    def handle(self, *args, **options):
        accounts = demo.seed()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。所有演示账号的密码：{demo.DEMO_PASSWORD}"))
        for username, full_name, what in accounts:
            self.stdout.write(f"  {username:<28} {full_name:<6} {what}")
