"""Chuyển sinh hoạt đảng: transfer requests between units, out of the tree and into it."""
