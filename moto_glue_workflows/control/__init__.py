"""Test-control endpoints (``/moto-api/static/...``) and the Python helpers beside them."""

from moto_glue_workflows.control.endpoints import ControlError, ControlOperation
from moto_glue_workflows.control.helpers import Control

__all__ = ["Control", "ControlError", "ControlOperation"]
