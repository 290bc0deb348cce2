"""JSON API for jobs (filled in by its domain)."""

from fastapi import APIRouter

router = APIRouter(tags=["jobs"])
