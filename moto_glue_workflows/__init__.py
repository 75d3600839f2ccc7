"""Glue workflows, Glue blueprints and DataZone lineage job runs for moto.

Importing this package is all it takes: the services are registered with ``mock_aws``, the
threaded server and the standalone server.
"""

from moto_glue_workflows.blueprints import set_execution_enabled as set_blueprint_execution_enabled
from moto_glue_workflows.blueprints.waiting import wait_for_blueprint_run
from moto_glue_workflows.control.blueprints import BLUEPRINT_RUN_LIMITS as set_blueprint_run_limits
from moto_glue_workflows.control.clock import CLOCK as advance_clock
from moto_glue_workflows.control.clock import clock_now
from moto_glue_workflows.control.datazone import SEED_JOB_RUNS as seed_datazone_job_runs
from moto_glue_workflows.control.endpoints import ControlError
from moto_glue_workflows.control.glue import CRAWL_OUTCOMES as set_crawl_outcome
from moto_glue_workflows.control.glue import JOB_RUN_OUTCOMES as set_job_run_outcome
from moto_glue_workflows.control.glue import TRIGGER_FIRES as fire_trigger
from moto_glue_workflows.control.helpers import Control
from moto_glue_workflows.control.job_execution import JOB_EXECUTION as set_job_execution
from moto_glue_workflows.events.settings import set_event_emission_enabled
from moto_glue_workflows.jobs import JobContext, clear_job_handlers, job_handler, remove_job_handler
from moto_glue_workflows.registration import register

# After the subpackage is loaded, so that ``moto_glue_workflows.render`` is the function (the
# ``render`` package stays importable by its dotted name: moto_glue_workflows.render.svg, ...).
from moto_glue_workflows.render import RunDescription, describe_run, render

__version__ = "0.1.0"
__all__ = [
    "Control",
    "ControlError",
    "JobContext",
    "RunDescription",
    "__version__",
    "advance_clock",
    "clear_job_handlers",
    "clock_now",
    "describe_run",
    "fire_trigger",
    "job_handler",
    "register",
    "remove_job_handler",
    "render",
    "seed_datazone_job_runs",
    "set_blueprint_execution_enabled",
    "set_blueprint_run_limits",
    "set_crawl_outcome",
    "set_event_emission_enabled",
    "set_job_execution",
    "set_job_run_outcome",
    "wait_for_blueprint_run",
]

register()
