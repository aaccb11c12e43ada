"""Kengetallen: the school support profile's figures per counting date, with charts."""

from __future__ import annotations

from ib_desktop.ui.figures.page import FiguresPage

__all__ = ["FiguresPage"]
