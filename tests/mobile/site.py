"""The private server the phone tests of tests/test_mobile_ui.py and
tests/test_mobile_reports_ui.py drive: the demo college with 30 students, two published
evaluation periods, and the throwaway plugin that adds a screen through xf_mobile_screens."""
from __future__ import annotations

import contextlib
from pathlib import Path

from tests.live_server import demo_server
from tests.mobile import data as d

ROOT = Path(__file__).resolve().parents[2]
EXTRA = {"XIANFENG_PLUGINS__EXTRA": '["tests.plugins.mobile_screen"]', "PYTHONPATH": str(ROOT)}  # a plugin from tests/


@contextlib.contextmanager
def mobile_site(tmp: Path):
    """(base URL, data dir) of the server, its data under ``tmp``."""
    data_dir = tmp / "data"
    with demo_server(data_dir, 30, d.DEMO_PASSWORD, **EXTRA) as base:
        d.publish_reports(base)
        yield base, data_dir
