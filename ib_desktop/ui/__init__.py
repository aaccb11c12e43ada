"""All Qt code of IB Desktop. Nothing outside this package imports PySide6."""
