"""Web pages for jobs."""

from fastapi import APIRouter

router = APIRouter()
