"""JSON API for units (filled in by its domain)."""

from fastapi import APIRouter

router = APIRouter(tags=["units"])
