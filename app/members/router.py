"""JSON API for members (filled in by its domain)."""

from fastapi import APIRouter

router = APIRouter(tags=["members"])
