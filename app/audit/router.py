"""JSON API for audit (filled in by its domain)."""

from fastapi import APIRouter

router = APIRouter(tags=["audit"])
