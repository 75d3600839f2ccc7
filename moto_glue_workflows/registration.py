"""Wire our services into moto, once, whatever was imported first."""

from __future__ import annotations

import threading

from moto_glue_workflows import _moto
from moto_glue_workflows.control.endpoints import ControlOperation

_lock = threading.Lock()
_registered = False


def control_operations() -> list[ControlOperation]:
    from moto_glue_workflows.control.blueprints import BLUEPRINT_RUN_LIMITS
    from moto_glue_workflows.control.clock import CLOCK
    from moto_glue_workflows.control.datazone import SEED_JOB_RUNS
    from moto_glue_workflows.control.glue import CRAWL_OUTCOMES, JOB_RUN_OUTCOMES, TRIGGER_FIRES
    from moto_glue_workflows.control.job_execution import JOB_EXECUTION

    return [
        SEED_JOB_RUNS,
        JOB_RUN_OUTCOMES,
        CRAWL_OUTCOMES,
        TRIGGER_FIRES,
        BLUEPRINT_RUN_LIMITS,
        CLOCK,
        JOB_EXECUTION,
    ]


def register() -> None:
    global _registered
    with _lock:
        if _registered:
            return
        from moto_glue_workflows import datazone
        from moto_glue_workflows.datazone import urls as datazone_urls
        from moto_glue_workflows.datazone.lineage_events import LINEAGE_EVENT_MODEL
        from moto_glue_workflows.datazone.models import DOMAIN_MODEL
        from moto_glue_workflows.datazone.responses import DataZoneResponse
        from moto_glue_workflows.glue import routing
        from moto_glue_workflows.glue.responses import GlueWorkflowResponse

        _moto.register_service("datazone", datazone, datazone_urls.url_bases)
        routing.install()  # our Glue operations to us, moto's to moto
        _moto.register_control_paths({op.path: op.view for op in control_operations()})
        from moto_glue_workflows.render.page import control_paths as ui_paths

        _moto.register_control_paths(ui_paths())
        from moto_glue_workflows import clock, dashboard
        from moto_glue_workflows.events import batches

        dashboard.register()
        clock.install()  # timestamps follow the mock's clock
        _moto.deliver_event_targets(batches.is_workflow_target, batches.deliver)  # EventBridge -> Glue
        from moto_glue_workflows.glue import step_functions

        _moto.integrate_step_functions(step_functions.job_run_for_sync, step_functions.sdk_answer)
        from moto_glue_workflows.protocol.direct_routes import Router, direct_answer
        from moto_glue_workflows.protocol.server_routes import server_answer

        router = Router(
            [
                ("datazone", DataZoneResponse, datazone_urls.url_bases),
                ("glue", GlueWorkflowResponse, _moto.glue_url_bases()),
            ]
        )
        _moto.answer_directly(direct_answer(router))
        _moto.answer_in_our_servers(server_answer(router))
        from moto_glue_workflows import cloudformation
        from moto_glue_workflows.glue.blueprint_models import BLUEPRINT_MODEL, BLUEPRINT_RUN_MODEL
        from moto_glue_workflows.glue.trigger_updates import TRIGGER_UPDATE_MODEL

        cloudformation.install()  # our resource types in moto's CloudFormation
        models = (DOMAIN_MODEL, LINEAGE_EVENT_MODEL, BLUEPRINT_MODEL, BLUEPRINT_RUN_MODEL, TRIGGER_UPDATE_MODEL)
        for model in models:
            _moto.state_manager.register_default_transition(model, {"progression": "immediate"})
        _registered = True
