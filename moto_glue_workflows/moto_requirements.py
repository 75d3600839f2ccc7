"""What this package needs of moto's internals, checked before anything of moto is touched.

moto has no plugin API: ``_moto.py`` reaches into its modules. Every name, attribute and signature it
relies on is listed here, with why and since which moto release it has been there (the oldest release
checked is 5.0.0). ``_moto`` runs ``require_supported_moto()`` before its first import of moto's
internals, so a moto that lacks one of them, or whose version is outside the supported range, is
refused at import with an ``ImportError`` naming the installed version, the range and what is missing,
and nothing is patched. ``docs/moto-compat.md`` is this table in prose;
``python -m moto_glue_workflows.moto_requirements`` checks the installed moto and prints the result.

This module imports nothing of moto at import time.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

#: The moto releases this package supports: what CI tests (the floor pinned, and the newest pip resolves).
#: setup.cfg's install_requires says the same (tests/test_moto_requirements.py checks they agree).
SUPPORTED_MOTO = (">=5.2.4", "<5.3")
FLOOR = (5, 2, 4)
CEILING = (5, 3)  # exclusive
#: Set to 1 to import with a moto outside SUPPORTED_MOTO (still refused if an internal below is missing).
UNTESTED_MOTO_ENV = "MOTO_GLUE_WORKFLOWS_ALLOW_UNTESTED_MOTO"


@dataclass(frozen=True)
class Internal:
    """One thing of moto's that ``_moto`` uses."""

    module: str
    #: a dotted path inside ``module`` ("BaseResponse.setup_class"); empty for the module itself
    name: str
    why: str
    #: parameter names the callable must take (by name; extra ones are fine)
    parameters: tuple[str, ...] = ()
    #: how many arguments it is called with by position (self included for a method read from its class)
    positional: int | None = None
    #: keys the mapping must hold
    keys: tuple[str, ...] = ()
    #: made with these arguments, the instance must have ``attributes`` (what only an instance shows)
    instance_args: tuple[Any, ...] | None = None
    attributes: tuple[str, ...] = ()
    since: str = "5.0.0"

    @property
    def label(self) -> str:
        return f"{self.module}.{self.name}" if self.name else self.module


_SETUP = ("request", "full_url", "headers", "use_raw_body")

INTERNALS: tuple[Internal, ...] = (
    # Registering services, routes and models (registration.py)
    Internal("moto", "__version__", "the version this check compares with the supported range"),
    Internal(
        "moto.backend_index", "backend_url_patterns", "DataZone's endpoints added to the URLs mock_aws intercepts"
    ),
    Internal("moto.core.models", "MockAWS._mock_init_lock", "registering while a mock_aws starts"),
    Internal(
        "moto.core.models", "botocore_stubber.enabled", "a mock_aws started before the import intercepts DataZone"
    ),
    Internal(
        "moto.core.models",
        "BotocoreStubber.process_request",
        "our operations answered before moto's routing under mock_aws (other requests go on to it untouched)",
        ("request",),
    ),
    Internal("moto.core.models", "RESPONSES_METHODS", "routes added to a mock_aws already started"),
    Internal("moto.core.models", "responses_mock", "routes added to a mock_aws already started"),
    Internal("moto.core.custom_responses_mock", "CallbackResponse", "routes added to a mock_aws already started"),
    Internal(
        "moto.glue.urls",
        "url_paths",
        "Glue's one route: our operations to us, every other one to moto's handler",
        keys=("{0}/$",),
    ),
    Internal("moto.glue.urls", "url_bases", "the hosts Glue is served at"),
    Internal("moto.moto_api._internal.urls", "url_paths", "the /moto-api/static/ control endpoints and the page"),
    Internal("moto.core.model_instances", "model_data", "our resources listed in moto's dashboard"),
    Internal("moto.moto_api", "state_manager", "how runs progress, through moto's state manager"),
    Internal(
        "moto.moto_api",
        "state_manager.register_default_transition",
        "our models' default progression",
        positional=2,
    ),
    Internal(
        "moto.moto_api._internal.managed_state_model",
        "ManagedState",
        "runs that advance when read: their state, transitions, reads and last progression",
        instance_args=("moto-glue-workflows::check", [("A", "B")]),
        attributes=("_status", "_transitions", "_tick", "_time_progressed", "advance", "status"),
    ),
    Internal("moto.moto_api._internal", "mock_random", "identifiers from moto's seedable random source"),
    # Backends and reset
    Internal("moto.core.base_backend", "BackendDict", "state per account and region, cleared by moto's reset"),
    Internal(
        "moto.core.base_backend",
        "BackendDict.__init__",
        "backends of our own regions (the clock's)",
        ("backend", "service_name", "use_boto3_regions", "additional_regions"),
    ),
    Internal("moto.core.base_backend", "BackendDict.reset", "moto's reset, which clears our backends too"),
    Internal(
        "moto.core.base_backend", "BackendDict.iter_backends", "the backends already made, none created", since="5.0.28"
    ),
    Internal("moto.core.base_backend", "BaseBackend", "the base of our backends"),
    Internal(
        "moto.core.base_backend",
        "backend_lock",
        "held by moto's reset; user code's requests are answered under it, so none straddles a reset",
    ),
    Internal("moto.core.models", "DEFAULT_ACCOUNT_ID", "the account when a request names none"),
    Internal("moto.utilities.utils", "get_partition", "the partition of a region", positional=1, since="5.0.28"),
    Internal("moto.utilities.utils", "PARTITION_NAMES", "IAM's backends of every partition", since="5.0.28"),
    # Requests and responses of our own operations
    Internal("moto.core.responses", "BaseResponse", "the base of our response classes"),
    Internal("moto.core.responses", "BaseResponse.dispatch", "the handler moto calls for a route"),
    Internal("moto.core.responses", "BaseResponse.setup_class", "reading a request as moto does", _SETUP),
    Internal("moto.core.responses", "BaseResponse._get_action", "the operation a REST request's path names"),
    Internal(
        "moto.core.responses",
        "BaseResponse._authenticate_and_authorize_normal_action",
        "moto's IAM authorization, applied to our operations too",
    ),
    Internal(
        "moto.core.responses", "ActionResult", "results moto's serializers answer in the model's shape", since="5.1.2"
    ),
    Internal(
        "moto.core.responses",
        "ActionResult.execute_result",
        "serializing errors and outputs",
        ("context",),
        since="5.1.8",
    ),
    Internal("moto.core.responses", "ActionContext", "what a serializer is given", since="5.1.8"),
    Internal("moto.core.responses", "EmptyResult", "operations that answer an empty structure", since="5.1.8"),
    Internal("moto.core.serialize", "get_serializer_class", "the serializer of a protocol", since="5.1.15"),
    Internal(
        "moto.core.exceptions", "ServiceException", "errors with the service's code and HTTP status", since="5.1.2"
    ),
    Internal("moto.core.utils", "get_service_model", "botocore's model of a service", since="5.1.2"),
    Internal("moto.core.utils", "utcnow", "moto's clock, which freezegun freezes"),
    Internal("moto.core.utils", "unix_time", "event times on the mock's clock"),
    Internal("moto.core.utils", "unix_time_millis", "log event times"),
    Internal("moto.settings", "INITIAL_NO_AUTH_ACTION_COUNT", "when moto's IAM authorization starts"),
    Internal("moto.settings", "PRETTIFY_RESPONSES", "indented JSON answers when asked"),
    Internal("moto.settings", "TEST_SERVER_MODE", "control helpers sent to the server in server mode"),
    Internal("moto.settings", "test_server_mode_endpoint", "where a suite in server mode sends requests"),
    Internal("moto.core.config", "passthrough_url", "requests moto lets through to AWS are never ours"),
    Internal("moto.core.config", "passthrough_service", "requests moto lets through to AWS are never ours"),
    Internal("moto.core.config", "service_whitelisted", "services a test switched off stay off", since="5.0.28"),
    Internal(
        "moto.core.authorization",
        "ActionAuthenticatorMixin.request_count",
        "counting requests as moto does",
        since="5.1.17",
    ),
    Internal("moto.moto_api", "recorder._user_enabled", "requests answered directly are left to moto while it records"),
    Internal("moto.iam.models", "iam_backends", "the account an access key belongs to"),
    Internal(
        "moto.iam.models",
        "mark_account_as_visited",
        "recording an access key's use as moto does",
        ("account_id", "access_key", "service", "region"),
    ),
    Internal(
        "moto.sts.models",
        "STSBackend.get_caller_identity",
        "the caller ARN DataZone records",
        positional=3,
        since="5.0.28",
    ),
    Internal("moto.sts.models", "sts_backends", "the caller ARN DataZone records"),
    # Servers
    Internal("moto.moto_server.werkzeug_app", "DomainDispatcherApplication", "the WSGI app our servers serve"),
    Internal("moto.moto_server.werkzeug_app", "create_backend_app", "each service's Flask app"),
    # moto's Glue: the jobs, crawlers, triggers and Data Catalog our runs use
    Internal("moto.glue.models", "glue_backends", "moto's Glue store of each account and region"),
    Internal("moto.glue.models", "utcnow", "moto's Glue timestamps follow the mock's clock"),
    Internal(
        "moto.glue.models",
        "FakeJobRun.__init__",
        "our job runs extend moto's",
        (
            "job_name",
            "job_run_id",
            "arguments",
            "allocated_capacity",
            "timeout",
            "worker_type",
            "security_configuration",
            "notification_property",
            "number_of_workers",
            "max_capacity",
        ),
        since="5.1.11",
    ),
    Internal("moto.glue.models", "FakeJobRun.as_dict", "the job run's GetJobRun shape"),
    Internal("moto.glue.models", "FakeCrawl.__init__", "our crawls extend moto's", positional=2, since="5.1.10"),
    Internal("moto.glue.models", "FakeCrawl.as_dict", "a crawl's ListCrawls shape", since="5.1.10"),
    Internal("moto.glue.models", "FakeCrawler.as_dict", "GetCrawler's shape"),
    Internal("moto.glue.models", "FakeJob", "the jobs runs are made of"),
    Internal("moto.glue.models", "FakeTrigger.as_dict", "GetTrigger's shape of a workflow's triggers"),
    Internal("moto.glue.models", "GlueBackend.create_job", "blueprints create jobs", ("name", "role", "command")),
    Internal("moto.glue.models", "GlueBackend.create_crawler", "blueprints create crawlers", ("name", "role")),
    Internal(
        "moto.glue.models",
        "GlueBackend.create_trigger",
        "CreateTrigger and blueprints create triggers",
        ("name", "workflow_name", "trigger_type", "schedule", "predicate", "actions"),
    ),
    Internal("moto.glue.models", "GlueBackend.delete_job", "a blueprint run rolled back", positional=2),
    Internal("moto.glue.models", "GlueBackend.delete_crawler", "a blueprint run rolled back", positional=2),
    Internal("moto.glue.models", "GlueBackend.delete_trigger", "a blueprint run rolled back", positional=2),
    Internal(
        "moto.glue.models",
        "GlueBackend.get_trigger",
        "GetTrigger, refusing a missing trigger in moto's words",
        positional=2,
    ),
    Internal(
        "moto.glue.models",
        "GlueBackend.get_crawler",
        "GetCrawler, refusing a missing crawler in moto's words",
        positional=2,
    ),
    Internal("moto.glue.models", "GlueBackend.tag_resource", "tags of blueprint-made resources", positional=3),
    Internal("moto.glue.models", "GlueBackend.create_database", "crawls create databases", positional=3),
    Internal("moto.glue.models", "GlueBackend.create_table", "crawls create tables", positional=4),
    Internal("moto.glue.models", "GlueBackend.update_table", "crawls update tables", positional=4),
    Internal("moto.glue.models", "GlueBackend.delete_table", "crawls delete tables", positional=3),
    Internal("moto.glue.models", "FakeTable.create_partition", "crawls add partitions", positional=2),
    Internal("moto.glue.models", "FakeTable.update_partition", "crawls update partitions", positional=3),
    Internal("moto.glue.utils", "Predicate", "a trigger's predicate as moto stores it", since="5.1.12"),
    Internal("moto.glue.utils", "Action", "a trigger's action as moto stores it", since="5.1.12"),
    Internal("moto.glue.exceptions", "GlueClientError", "moto's Glue refusals, answered as Glue's"),
    # moto's Glue, for CloudFormation's Glue resource types (cloudformation/)
    Internal(
        "moto.core.common_models",
        "CloudFormationModel",
        "our CloudFormation resource types: moto finds them as its direct subclasses",
    ),
    Internal("moto.glue.models", "GlueBackend.update_database", "a stack's database updated in place", positional=3),
    Internal("moto.glue.models", "GlueBackend.delete_database", "a stack's database deleted", positional=2),
    Internal(
        "moto.glue.models",
        "GlueBackend.create_connection",
        "a stack's Data Catalog connection (made afresh when updated: moto has no UpdateConnection)",
        positional=4,
    ),
    Internal("moto.glue.models", "GlueBackend.get_tags", "a connection's tags kept when it is updated", positional=2),
    # moto's EventBridge: Glue's events in, workflow targets out
    Internal("moto.events.models", "events_backends", "the default bus Glue's events go to"),
    Internal("moto.events.models", "unix_time", "event times follow the mock's clock"),
    Internal(
        "moto.events.models",
        "Rule.send_to_targets",
        "rule targets that are Glue workflows (other targets go to moto untouched)",
        positional=3,
        since="5.0.28",
    ),
    Internal("moto.events.models", "EventsBackend.put_events", "Glue's events on the default bus", positional=2),
    Internal("moto.events.models", "EventPattern.matches_event", "whether a rule matches a Glue event", positional=2),
    Internal("moto.events.utils", "_BASE_EVENT_MESSAGE", "matching an event before it is put", since="5.0.28"),
    # moto's CloudWatch Logs: job and crawler output
    Internal("moto.logs.models", "logs_backends", "where job runs and crawls write their output"),
    Internal("moto.logs.models", "LogsBackend.create_log_group", "a job's log group", positional=3),
    Internal("moto.logs.models", "LogsBackend.ensure_log_stream", "a run's log stream", positional=3),
    Internal(
        "moto.logs.models",
        "LogGroup.put_log_events",
        "a run's output lines, at the mock's time (the backend's window is the wall clock's)",
        positional=3,
    ),
    # moto's S3: blueprint archives, job scripts and crawled data
    Internal("moto.s3.models", "s3_backends", "objects blueprints, scripts and crawls read"),
    Internal(
        "moto.s3.models",
        "s3_backends.bucket_accounts",
        "which account owns a bucket: user code may not reach another account's",
    ),
    Internal("moto.s3.models", "S3Backend.get_object", "reading an object", positional=3),
    Internal("moto.s3.models", "S3Backend.get_bucket", "listing a bucket", positional=2),
    Internal("moto.s3.exceptions", "MissingBucket", "a bucket that is not there"),
)


_SFN = "moto.stepfunctions.parser.asl.component.state.exec.state_task.service."
_SFN_STEP = ("env", "resource_runtime_part", "normalised_parameters", "state_credentials")

#: What ``_moto.integrate_step_functions`` needs of moto's Step Functions interpreter. Checked when moto
#: first imports the interpreter (not at our import: it is a tenth of a second suites without state
#: machines need not pay); missing ones leave the interpreter as moto ships it, with a warning.
STEP_FUNCTIONS_INTERNALS: tuple[Internal, ...] = (
    Internal(_SFN + "state_task_service_glue", "_SUPPORTED_INTEGRATION_PATTERNS", "whether Glue has .waitForTaskToken"),
    Internal(
        _SFN + "state_task_service_glue",
        "StateTaskServiceGlue._get_glue_client",
        "the Glue client whose answers .sync outputs as JSON",
        ("resource_runtime_part", "state_credentials"),
    ),
    Internal(
        _SFN + "state_task_service_glue",
        "StateTaskServiceGlue._eval_integration_pattern",
        "glue:startJobRun.sync run without the callback endpoint Glue lacks",
        _SFN_STEP,
    ),
    Internal(
        _SFN + "state_task_service_glue",
        "StateTaskServiceGlue._build_sync_resolver",
        "the .sync poller of GetJobRun",
        _SFN_STEP,
    ),
    Internal(
        _SFN + "state_task_service_glue",
        "StateTaskServiceGlue._eval_sync",
        "polling the .sync resolver until the run ends",
        ("env", "sync_resolver", "timeout_seconds", "callback_endpoint", "heartbeat_endpoint"),
    ),
    Internal(
        _SFN + "state_task_service_callback",
        "StateTaskServiceCallback._eval_integration_pattern",
        "whether moto still ends .sync with an unguarded callback_endpoint.interrupt_all()",
    ),
    Internal(_SFN + "resource", "ResourceCondition.Sync", "telling .sync tasks apart"),
    Internal(_SFN + "resource", "ResourceCondition.WaitForTaskToken", "whether Glue has .waitForTaskToken"),
    Internal(
        _SFN + "state_task_service_aws_sdk",
        "boto_client_for",
        "the Glue clients of aws-sdk:glue:* tasks, whose answers are output as JSON",
        ("region", "service", "state_credentials"),
    ),
)


_CFN_PARSING = "moto.cloudformation.parsing"
_CFN_MODELS = "moto.cloudformation.models"

#: What ``_moto.refresh_cloudformation_types`` and ``_moto.handle_stack_failures`` need of moto's CloudFormation.
#: Checked when moto first imports its CloudFormation (importing it imports some thirty services' models, which
#: suites without stacks need not pay for); missing ones leave moto's CloudFormation as it ships, with a warning.
CLOUDFORMATION_INTERNALS: tuple[Internal, ...] = (
    Internal(_CFN_PARSING, "get_model_list.cache_clear", "the resource types moto listed before ours existed"),
    Internal(_CFN_PARSING, "get_model_map.cache_clear", "the resource types moto listed before ours existed"),
    Internal(_CFN_PARSING, "get_name_type_map.cache_clear", "the resource types moto listed before ours existed"),
    Internal(
        _CFN_PARSING,
        "parse_resource",
        "a resource's properties with Ref and Fn::GetAtt resolved (what refers to a replaced resource)",
        positional=2,
    ),
    Internal(
        _CFN_PARSING,
        "parse_and_update_resource",
        "updating what refers to a replaced resource, as moto's UpdateStack updates a resource",
        ("logical_id", "resource_json", "resources_map", "account_id", "region_name"),
    ),
    Internal(_CFN_PARSING, "ResourceMap", "a rolled-back stack's resources: none", positional=8),
    Internal(_CFN_PARSING, "ResourceMap._delete_resource", "a rollback deletes as DeleteStack does", positional=3),
    Internal(
        _CFN_PARSING, "ResourceMap.update", "an update that failed goes back to the template before", positional=3
    ),
    Internal(_CFN_PARSING, "OutputMap", "a rolled-back stack's outputs: none", positional=3),
    Internal(_CFN_MODELS, "Stack.create_resources", "a resource of ours that fails rolls the stack back", positional=1),
    Internal(
        _CFN_MODELS,
        "Stack.update",
        "an update whose resource of ours fails rolls back; what refers to a replaced resource follows it",
        ("template",),
    ),
    Internal(_CFN_MODELS, "Stack._add_stack_event", "the stack's rollback events", ("resource_status_reason",)),
    Internal(_CFN_MODELS, "Stack._create_output_map", "outputs of the template an update went back to", positional=1),
    Internal(_CFN_MODELS, "Event", "a failed or rolled-back resource's events", positional=8),
    Internal(
        "moto.cloudformation.exceptions",
        "ValidationError",
        "UpdateStack refusing a stack our rollback left failed, in moto's words",
        ("name_or_id", "message"),
    ),
    Internal(_CFN_MODELS, "cloudformation_backends", "a parent's rollback deleting its failed nested stack"),
    Internal(
        _CFN_MODELS,
        "CloudFormationBackend.delete_stack",
        "a parent's rollback deleting its failed nested stack",
        positional=2,
    ),
    Internal(
        "moto.cloudformation.exceptions",
        "UnformattedGetAttTemplateException",
        "Fn::GetAtt of an attribute our type does not have: moto's template error",
    ),
)


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def _resolve(internal: Internal) -> Any:
    found: Any = importlib.import_module(internal.module)
    for part in filter(None, internal.name.split(".")):
        found = getattr(found, part)
    return found


def problem_with(internal: Internal) -> str | None:
    """What is wrong with ``internal`` in the installed moto, or None when it is as needed."""
    try:
        found = _resolve(internal)
    except Exception as error:  # an import that fails, or a name that is gone
        return f"{internal.label} is missing ({type(error).__name__}: {error})"
    if internal.parameters or internal.positional is not None:
        try:
            signature = inspect.signature(found)
        except (TypeError, ValueError):
            return f"{internal.label} has no signature to check"
        lacking = [name for name in internal.parameters if name not in signature.parameters]
        if lacking:
            return f"{internal.label} takes no parameter {', '.join(lacking)}"
        if internal.positional is not None:
            try:
                signature.bind(*range(internal.positional))
            except TypeError:
                return f"{internal.label} cannot be called with {internal.positional} positional arguments"
    missing_keys = [key for key in internal.keys if key not in found]
    if missing_keys:
        return f"{internal.label} has no entry {', '.join(missing_keys)}"
    if internal.instance_args is not None:
        try:
            instance = found(*internal.instance_args)
        except Exception as error:
            return f"{internal.label} cannot be made ({type(error).__name__}: {error})"
        absent = [name for name in internal.attributes if not hasattr(instance, name)]
        if absent:
            return f"{internal.label} instances have no {', '.join(absent)}"
    return None


def problems(internals: tuple[Internal, ...] = INTERNALS) -> list[str]:
    return [found for found in map(problem_with, internals) if found is not None]


def require_supported_moto(internals: tuple[Internal, ...] = INTERNALS) -> None:
    """Refuse, with an ImportError saying why, a moto this package cannot work with; else do nothing."""
    try:
        import moto
    except ImportError as error:
        raise ImportError(f"moto_glue_workflows needs moto{','.join(SUPPORTED_MOTO)}: {error}") from error
    version = str(getattr(moto, "__version__", "unknown"))
    found = _version_tuple(version)
    supported = ",".join(SUPPORTED_MOTO)
    if not FLOOR <= found < CEILING and os.environ.get(UNTESTED_MOTO_ENV) != "1":
        raise ImportError(
            f"moto_glue_workflows supports moto{supported}; moto {version} is installed. "
            f"Install a supported moto (pip install 'moto[server]{supported}'), or set {UNTESTED_MOTO_ENV}=1 "
            "to try this one anyway."
        )
    missing = problems(internals)
    if missing:
        raise ImportError(
            f"moto_glue_workflows cannot work with moto {version} (supported: moto{supported}); "
            "it relies on these internals of moto, which this moto does not have as needed:\n  - "
            + "\n  - ".join(missing)
            + "\nNothing was registered or patched. See docs/moto-compat.md."
        )


def main() -> int:
    import moto

    missing = problems()
    print(f"moto {moto.__version__}: {len(INTERNALS) - len(missing)} of {len(INTERNALS)} internals as needed")
    for line in missing:
        print(f"  - {line}")
    sfn_missing = problems(STEP_FUNCTIONS_INTERNALS)
    sfn_count = len(STEP_FUNCTIONS_INTERNALS)
    print(f"Step Functions' Glue integrations: {sfn_count - len(sfn_missing)} of {sfn_count} internals as needed")
    for line in sfn_missing:
        print(f"  - {line}")
    cfn_missing = problems(CLOUDFORMATION_INTERNALS)
    cfn_count = len(CLOUDFORMATION_INTERNALS)
    print(f"CloudFormation resource types: {cfn_count - len(cfn_missing)} of {cfn_count} internals as needed")
    for line in cfn_missing:
        print(f"  - {line}")
    return 1 if missing or sfn_missing or cfn_missing else 0


if __name__ == "__main__":
    sys.exit(main())
