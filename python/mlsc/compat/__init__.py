"""Drop-in replacements for other scanners' Python APIs, answered by mlsc (see docs/python.md)."""
