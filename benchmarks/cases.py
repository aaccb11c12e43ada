"""Benchmark cases 2-8 (case 1, start-up, is in run.py)."""

from __future__ import annotations

CASES: dict = {}
