"""A stack whose resource of ours fails, as CloudFormation handles it.

moto's CloudFormation has no rollback: a resource that raises leaves the stack CREATE_IN_PROGRESS with what was
made before it, and the error goes to the CreateStack caller. CloudFormation instead answers CreateStack, marks the
resource CREATE_FAILED with the handler's reason, deletes what the stack made (ROLLBACK_IN_PROGRESS) and ends in
ROLLBACK_COMPLETE; an update that fails goes back to the previous template (UPDATE_ROLLBACK_COMPLETE), the resources
it replaced back as they were (the replacements deleted); an update that succeeds deletes what it replaced in its
cleanup phase. A nested stack that fails fails its parent's resource, and the parent rolls back. Only failures of
our resources are handled so; any other error stays moto's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto_glue_workflows._moto import StackView
from moto_glue_workflows.cloudformation.failures import ResourceFailed
from moto_glue_workflows.cloudformation.resource import Replaced, StackResource, replaced_so_far

_NESTED_STACK = "AWS::CloudFormation::Stack"

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


def _ours(resource: Any) -> bool:
    return isinstance(resource, StackResource)


def _delete_with_events(stack: StackView, deletions: list[tuple[str, Any, str | None]]) -> list[str]:
    """The events of resources deleted (logical id, resource, the failure or None); the logical ids that failed."""
    problems = []
    for logical_id, resource, problem in deletions:
        resource_type: Any = getattr(resource, "cf_resource_type", "")
        physical_id: Any = getattr(resource, "physical_resource_id", "")
        stack.add_event(logical_id, physical_id, resource_type, "DELETE_IN_PROGRESS", None)
        stack.add_event(
            logical_id, physical_id, resource_type, "DELETE_FAILED" if problem else "DELETE_COMPLETE", problem
        )
        if problem:
            problems.append(logical_id)
    return problems


def _delete(
    replaced: list[Replaced], resource_of: Callable[[Replaced], StackResource | None]
) -> list[tuple[str, Any, str | None]]:
    """Delete each entry's original or replacement, newest first (what refers to a resource goes before it)."""
    outcomes: list[tuple[str, Any, str | None]] = []
    for entry in reversed(replaced):
        resource = resource_of(entry)
        if resource is None:
            continue
        problem = None
        try:
            resource.delete(resource.account_id, resource.region)
        except ResourceFailed as error:
            problem = error.reason
        outcomes.append((entry.logical_id, resource, problem))
    return outcomes


def create_failed(stack: StackView, error: BaseException) -> bool:
    failure = our_failure(error)
    if failure is None:
        return False
    _record_failure(stack, failure)
    stack.add_stack_event(
        "ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to create: [{failure.logical_id}]. Rollback requested by user.",
    )
    for nested in failure.nested:  # a nested stack that failed goes with its parent's rollback
        nested.delete()
    problems = _delete_with_events(stack, stack.delete_created())
    stack.forget_resources()
    status = "ROLLBACK_FAILED" if problems else "ROLLBACK_COMPLETE"
    reason = f"The following resource(s) failed to delete: [{', '.join(problems)}]. " if problems else None
    stack.add_stack_event(status, reason)
    stack.status = status
    return True


def nested_failed(child: StackView, parent: StackView) -> ResourceFailed:
    """A nested stack rolled back: its parent's AWS::CloudFormation::Stack resource fails, as CloudFormation's
    "Embedded stack <arn> was not successfully created: <the nested stack's reason>"."""
    logical_id = next(
        (
            logical_id
            for logical_id, resource in parent.template_resources().items()
            if resource.get("Type") == _NESTED_STACK and child.name.startswith(f"{parent.name}-{logical_id}-")
        ),
        child.name,
    )
    cause = next((reason for _, status, reason in child.events() if status == "ROLLBACK_IN_PROGRESS"), None) or ""
    reason = f"Embedded stack {child.stack_id} was not successfully created: {cause}"
    return ResourceFailed(logical_id, _NESTED_STACK, "", reason, nested=(child,))


def update_failed(stack: StackView, error: BaseException, before: tuple[Any, dict[str, Any], dict[str, Any]]) -> bool:
    failure = our_failure(error)
    if failure is None:
        cleanup(stack)  # moto's own failure: its behaviour, the replaced resources gone as before
        return False
    _record_failure(stack, failure)
    stack.add_stack_event(
        "UPDATE_ROLLBACK_IN_PROGRESS",
        f"The following resource(s) failed to {_failed_action(failure)}: [{failure.logical_id}]. ",
    )
    for nested in failure.nested:
        nested.delete()
    # What the update replaced is the stack's again, untouched; the replacements go in the cleanup.
    # (one the update removed is still among the stack's resources: moto's update back finds it there)
    replaced = list(replaced_so_far())
    replaced_so_far().clear()
    for entry in replaced:
        if entry.replacement is not None:
            stack.put_resource(entry.logical_id, entry.original)
    try:
        stack.restore(*before)
        stack.forget_removed(_ours)  # what the failed update added, deleted by moto's update back
        follow_replacements(stack)  # and what moto's diff misses: resources whose parameters changed back
    except Exception as problem:
        stack.add_stack_event("UPDATE_ROLLBACK_FAILED", str(getattr(problem, "reason", problem)))
        stack.status = "UPDATE_ROLLBACK_FAILED"
        return True
    # The rollback's cleanup phase (UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, a stack status botocore's model
    # of an event's ResourceStatus does not list, so no event says it): the replacements go.
    _delete_with_events(stack, _delete(replaced, lambda entry: entry.replacement))
    cleanup(stack)
    stack.add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    return True


def updated(stack: StackView) -> None:
    """An update has made its changes: what refers to a replaced resource follows it, then (the update has
    succeeded) the cleanup deletes what was replaced."""
    follow_replacements(stack)
    cleanup(stack)


def cleanup(stack: StackView) -> None:
    """CloudFormation's cleanup phase (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS; no event says it, as above): the
    resources the update replaced or removed are deleted (a failure to delete one is recorded on it and does not fail
    the update)."""
    replaced = replaced_so_far()
    _delete_with_events(stack, _delete(replaced, lambda entry: entry.original))
    replaced.clear()
    stack.forget_removed(_ours)


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
