"""Django's management commands for operators: ``python -m jixiao.web.manage migrate``,
``createsuperuser``, ``changepassword``… (settings come from the environment, see docs/web.md)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
