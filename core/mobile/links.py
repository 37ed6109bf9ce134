"""Absolute ``/m/`` URLs of screens, for QR codes an admin shows and any phone camera opens.

A QR code carries ``http(s)://<host>/m/#/<screen>``: the host and scheme the admin's own
browser used, so the code works wherever the admin page works (behind a reverse proxy, run
uvicorn with ``--proxy-headers`` so the forwarded scheme and host are used). A phone that is
not signed in lands on the login screen and continues to that screen afterwards.
"""
from __future__ import annotations

import re

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from core.auth import CurrentActor
from core.errors import ERROR_RESPONSES, fail
from core.responses import Envelope, ok

SCREEN = re.compile(r"^/[A-Za-z0-9/_\-]*(\?[A-Za-z0-9_\-=&%.]*)?$")
SCREEN_RULE = "页面路径应以 / 开头，只含字母、数字、/、-、_ 和查询参数"


def m_url(request: Request, screen: str = "/home") -> str:
    """``m_url(request, "/talks/12")`` → ``http://host/m/#/talks/12``."""
    if not SCREEN.match(screen):
        raise ValueError(f"not a mobile screen path: {screen!r}")
    return f"{str(request.base_url).rstrip('/')}/m/#{screen}"


def qr_code(url: str, *, size: int = 160) -> dict:
    """The amis ``qr-code`` component for a URL (drawn in the browser, no request leaves the site)."""
    return {"type": "qr-code", "codeSize": size, "level": "M", "value": url}


def qr_card(request: Request, screen: str = "/home", title: str = "手机端",
            hint: str = "用手机扫码打开（微信或手机相机均可）") -> dict:
    """A small panel with the QR code of a screen and its URL, for an admin page."""
    url = m_url(request, screen)
    return {"type": "panel", "title": title, "className": "xf-m-qr", "body": [
        qr_code(url), {"type": "tpl", "tpl": hint, "className": "block mt-2 text-muted"},
        {"type": "link", "href": url, "body": url, "blank": True, "className": "xf-m-url"},
    ]}


class MobileLink(BaseModel):
    screen: str = Field(description="手机端页面路径，如 /talks/12")
    url: str = Field(description="扫码打开的完整地址")


router = APIRouter(prefix="/api/pc/v1/mobile", tags=["管理端-手机端"], responses=ERROR_RESPONSES)


@router.get("/link", summary="手机端页面的扫码地址（供二维码使用）", response_model=Envelope[MobileLink])
async def link(request: Request, actor: CurrentActor,
               screen: str = Query("/home", max_length=200, title="页面", description="手机端页面路径，如 /talks/12")):
    if not SCREEN.match(screen):
        raise fail(422, SCREEN_RULE, field="screen", label="页面")
    return ok(MobileLink(screen=screen, url=m_url(request, screen)))
