"""A stack whose resource of ours fails, as CloudFormation handles it.

moto's CloudFormation has no rollback: a resource that raises leaves the stack CREATE_IN_PROGRESS with what was
made before it, and the error goes to the CreateStack caller. CloudFormation instead answers CreateStack, marks the
resource CREATE_FAILED with the handler's reason, deletes what the stack made (ROLLBACK_IN_PROGRESS) and ends in
ROLLBACK_COMPLETE; an update that fails goes back to the previous template (UPDATE_ROLLBACK_COMPLETE). Only failures
of our resources are handled so; any other error stays moto's.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import StackView
from moto_glue_workflows.cloudformation.failures import ResourceFailed
from moto_glue_workflows.cloudformation.resource import StackResource

#: passes over the stack's resources after an update: a chain of references settles in as many as it is long
_REFERENCE_PASSES = 10


def our_failure(error: BaseException | None) -> ResourceFailed | None:
    """The failure of one of our resources behind ``error`` (moto may raise it again from a retry)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, ResourceFailed):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _failed_action(failure: ResourceFailed) -> str:
    return "update" if failure.physical_id else "create"


def _record_failure(stack: StackView, failure: ResourceFailed) -> None:
    status = f"{_failed_action(failure).upper()}_FAILED"
    stack.add_event(failure.logical_id, failure.physical_id, failure.resource_type, status, failure.reason)


def create_failed(stack: StackView, error: BaseException) -> bool:
    failure = our_failure(error)
    if failure is None:
        return False
    _record_failure(stack, failure)
    stack.add_stack_event(
        "ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to create: [{failure.logical_id}]. Rollback requested by user.",
    )
    problems = []
    for logical_id, resource, problem in stack.delete_created():
        resource_type: Any = getattr(resource, "cf_resource_type", "")
        physical_id: Any = getattr(resource, "physical_resource_id", "")
        stack.add_event(logical_id, physical_id, resource_type, "DELETE_IN_PROGRESS", None)
        stack.add_event(
            logical_id, physical_id, resource_type, "DELETE_FAILED" if problem else "DELETE_COMPLETE", problem
        )
        if problem:
            problems.append(logical_id)
    stack.forget_resources()
    status = "ROLLBACK_FAILED" if problems else "ROLLBACK_COMPLETE"
    reason = f"The following resource(s) failed to delete: [{', '.join(problems)}]. " if problems else None
    stack.add_stack_event(status, reason)
    stack.status = status
    return True


def update_failed(stack: StackView, error: BaseException, before: tuple[Any, dict[str, Any], dict[str, Any]]) -> bool:
    failure = our_failure(error)
    if failure is None:
        return False
    _record_failure(stack, failure)
    stack.add_stack_event(
        "UPDATE_ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to {_failed_action(failure)}: [{failure.logical_id}]. ",
    )
    try:
        stack.restore(*before)
        follow_replacements(stack)  # and what moto's diff misses: resources whose parameters changed back
    except Exception as problem:
        stack.add_stack_event("UPDATE_ROLLBACK_FAILED", str(getattr(problem, "reason", problem)))
        stack.status = "UPDATE_ROLLBACK_FAILED"
        return True
    stack.add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    return True


def follow_replacements(stack: StackView) -> None:
    """After moto's update: every resource of ours whose properties now resolve differently (a Ref to a resource
    that was replaced names the new one; a parameter moto's diff did not see change) is updated, as CloudFormation
    updates what refers to a replaced resource. moto compares only the template's text, where ``{"Ref": "Crawler"}``
    stays the same."""
    for _ in range(_REFERENCE_PASSES):
        stale = [
            logical_id
            for logical_id, resource in stack.created()
            if isinstance(resource, StackResource) and stack.resolved_properties(logical_id) != resource.properties
        ]
        if not stale:
            return
        for logical_id in stale:
            stack.update_resource(logical_id)
