"""Web pages for units."""

from fastapi import APIRouter

router = APIRouter()
