"""A throwaway third-party plugin that adds a screen (and a home tile) to the mobile web app
through ``xf_mobile_screens`` only; its ES module lives beside this file."""
from pathlib import Path

from core.hookspecs import hookimpl
from core.mobile.screens import MobileEntry, MobileScreen

MANIFEST = {"name": "mobile_screen", "version": "1.0", "depends": ["messaging"], "title": "留言板"}


@hookimpl
def xf_mobile_screens():
    return [MobileScreen("/guestbook/:topic", Path(__file__).with_name("mobile_screen.js"), "留言板", "mp.messages",
                         options={"greeting": "欢迎留言"}),
            MobileScreen("/guestbook", Path(__file__).with_name("mobile_screen.js"), "留言板", "mp.messages",
                         entry=MobileEntry("留言板", "people", 90), options={"greeting": "欢迎留言"})]
