"""Traineenett: the platform regional trainee programmes run on."""

__version__ = "0.1.0"
