"""Glue workflows, Glue blueprints and DataZone lineage job runs for moto.

Importing this package is all it takes: the services are registered with ``mock_aws``, the
threaded server and the standalone server.
"""

from .control import ControlError
from .datazone.control import SEED_JOB_RUNS as seed_datazone_job_runs
from .registration import register

__version__ = "0.1.0"
__all__ = ["ControlError", "__version__", "register", "seed_datazone_job_runs"]

register()
