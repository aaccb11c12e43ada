"""Writing faster in the editors: goal bank picker, text blocks, autosave (issue 21)."""
