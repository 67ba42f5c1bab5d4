"""``manage.py demo``: build the demo company (idempotent) and print its logins."""

from django.core.management.base import BaseCommand

from rapport.demo.services import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the demo company: client groups, managers, about 200 clients and users for every role."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=200, help="How many clients to create (default 200).")

    def handle(self, *args, clients: int, **options):
        logins = build_demo(clients=clients)
        self.stdout.write(self.style.SUCCESS(f"Demo company ready. Logins (password for all: {DEMO_PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.username:<10} {login.role:<16} {login.name}")
