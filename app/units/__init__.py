"""The unit tree (đảng bộ, chi bộ): create, rename, move, dissolve, history."""
