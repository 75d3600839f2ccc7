"""AWS DataZone: domains and lineage job runs."""

from .models import datazone_backends

__all__ = ["datazone_backends"]
