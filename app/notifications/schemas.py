"""Shapes of the notifications inbox API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.ids import Id


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class Inbox(BaseModel):
    unread: int
    items: list[NotificationOut]


class MarkRead(BaseModel):
    # None marks every notification read.
    ids: Annotated[list[Id], Field(max_length=500)] | None = None


class MarkedRead(BaseModel):
    marked: int
