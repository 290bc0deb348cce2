"""Knowledge base: the index of published documents and members' questions about them."""
