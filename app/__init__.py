"""Sổ Tay application package."""
