"""Domain services: the rules of the support work in plain Python (no Qt)."""
