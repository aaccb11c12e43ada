"""Validation errors that name the field they belong to, so the UI can show them beside it."""

from __future__ import annotations


class ValidationError(ValueError):
    """Bad input for one field; ``message`` is Dutch and fit to show next to the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationErrors(ValueError):
    """Several fields at once; ``errors`` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)

    @classmethod
    def collect(cls, errors: dict[str, str]) -> None:
        """Raise when ``errors`` is not empty."""
        if errors:
            raise cls(errors)


class ConcurrentEditError(RuntimeError):
    """Someone else saved the same record after it was opened here; nothing was overwritten."""

    def __init__(self, what: str = "dit document") -> None:
        super().__init__(
            f"Iemand anders heeft {what} intussen opgeslagen. Uw wijzigingen zijn niet "
            "opgeslagen, maar ook niet weggegooid: kopieer ze, open het document opnieuw en "
            "voeg ze daar toe."
        )


class ReadOnlyError(RuntimeError):
    """The record is closed, frozen or belongs to a pupil who left."""
