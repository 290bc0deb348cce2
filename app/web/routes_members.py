"""Web pages for members."""

from fastapi import APIRouter

router = APIRouter()
