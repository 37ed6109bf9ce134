"""Annotated dependencies for what the app holds: settings, plugins, permission registry."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from core.settings import Settings


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _plugins(request: Request) -> Any:
    return request.app.state.plugins


def _registry(request: Request) -> Any:
    return request.app.state.permissions


SettingsDep = Annotated[Settings, Depends(_settings)]
PluginsDep = Annotated[Any, Depends(_plugins)]
RegistryDep = Annotated[Any, Depends(_registry)]
