"""Per-language display formats (Django's FORMAT_MODULE_PATH): only what differs from Django's
own locale formats. Documented in docs/i18n.md."""
