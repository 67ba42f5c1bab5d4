"""Local development (``make run``): debug on, SQLite by default."""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings.base import *  # noqa: F403
