"""Web pages for audit."""

from fastapi import APIRouter

router = APIRouter()
