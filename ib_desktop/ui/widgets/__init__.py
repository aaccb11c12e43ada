"""Widgets and helpers every screen shares: fields, the table-model base, dialogs."""
