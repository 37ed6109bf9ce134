"""Annotated dependencies for what the app holds: settings, plugins, permission registry.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency on its thread pool,
a thread hop per request for a one-line attribute read."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from core.settings import Settings


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


async def _plugins(request: Request) -> Any:
    return request.app.state.plugins


async def _registry(request: Request) -> Any:
    return request.app.state.permissions


SettingsDep = Annotated[Settings, Depends(_settings)]
PluginsDep = Annotated[Any, Depends(_plugins)]
RegistryDep = Annotated[Any, Depends(_registry)]
