"""Jobs that do work: handlers registered per job, run when a run of the job starts, logging to CloudWatch."""

from moto_glue_workflows.jobs.context import JobContext
from moto_glue_workflows.jobs.registry import (
    HANDLER_MODULES_ENV,
    clear_job_handlers,
    job_handler,
    load_handler_modules,
    remove_job_handler,
)

__all__ = [
    "HANDLER_MODULES_ENV",
    "JobContext",
    "clear_job_handlers",
    "job_handler",
    "load_handler_modules",
    "remove_job_handler",
]
