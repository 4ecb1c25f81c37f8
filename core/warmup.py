"""Work an app server process would otherwise do on its first requests, done once in the gunicorn
master before it forks the workers (deploy/gunicorn.conf.py, preload_app): importing every view
through the URLconf, compiling every template, loading both languages' catalogues and the Japanese
dictionary. Without it each new worker (at start, and every time max_requests recycles one) spent
about 2.5 s of CPU on its first requests, and the visitors who met it waited that long.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils import formats, timezone, translation

log = logging.getLogger("yorozu.warmup")


def _project_templates(engine):
    """Names of the project's own templates (not those of installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    venv = base / ".venv"
    for directory in engine.template_dirs:
        directory = Path(directory).resolve()
        if not directory.is_relative_to(base) or directory.is_relative_to(venv):
            continue
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".ics", ".xml"}:
                yield path.relative_to(directory).as_posix()


def warm():
    """Load what every request needs; returns how many templates were compiled and which failed.
    Leaves no database connection open: one inherited by the forked workers would be shared by all."""
    started = time.monotonic()
    try:
        _load_code()
        templates, failed = _compile_templates()
        _load_data()
    finally:
        connections.close_all()
    log.info("warmed up in %.1f s: %d templates (%d failed)", time.monotonic() - started, templates, len(failed))
    return {"templates": templates, "failed": failed}


def _load_code():
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # catalogues, and the URL reverse tables per language
            resolver.reverse_dict  # noqa: B018 (populates the resolver)
        formats.get_format("DATE_FORMAT", lang=code)  # per-language format modules
    import encodings.idna  # noqa: F401  (the request's host is checked with it)

    from django.contrib.messages.storage import fallback  # noqa: F401
    from django.contrib.sessions import serializers  # noqa: F401

    if settings.CACHE_URL:
        import redis  # noqa: F401  (Django's redis cache imports it on first use: 0.3 s)

        import core.redis_cache  # noqa: F401


def _compile_templates():
    templates, failed = 0, []
    for engine in engines.all():
        engine.engine.template_context_processors  # noqa: B018 (imports them)
        for name in _project_templates(engine):
            try:
                engine.get_template(name)  # compiled into the cached loader
                templates += 1
            except Exception:  # a broken template still fails where it is used, with its own message
                failed.append(name)
                log.warning("template not compiled at start: %s", name, exc_info=True)
    return templates, failed


def _load_data():
    from core.dates import is_business_day
    from directory.text import index_tokens

    is_business_day(timezone.localdate())  # the holidays package imports every country on first use
    index_tokens("中小企業の資金繰りとホームページでの集客")  # maps the dictionary, loads the tokenizer
