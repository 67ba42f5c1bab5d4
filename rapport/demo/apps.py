from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo company (``manage.py demo``)."""

    name = "rapport.demo"
    label = "demo"
