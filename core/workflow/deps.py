"""Route dependencies of the development engine."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.workflow.engine import Engine


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


EngineDep = Annotated[Engine, Depends(get_engine)]
