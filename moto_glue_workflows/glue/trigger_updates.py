"""UpdateTrigger passes through UPDATING, as AWS's triggers do, where a read can see it.

Glue's TriggerState lists UPDATING, and terraform-provider-aws waits for an updated trigger to leave it
(waitTriggerCreated, run after CreateTrigger and UpdateTrigger, takes ACTIVATING, CREATING and UPDATING as
pending and ACTIVATED or CREATED as done). Each update
is a state-manager model (``glue::trigger_update``: UPDATING -> UPDATED, ``immediate`` by default), so the
reads of the trigger (GetTrigger, GetTriggers, BatchGetTriggers, UpdateTrigger's own answer) show
UPDATING until the state manager says the update is done; with the default, no read sees it, as with a
fast update on AWS. The trigger's own state (CREATED, ACTIVATED, DEACTIVATED) does not change: an
activated trigger keeps firing while it updates, and the definition applies at once to later runs.
"""

from __future__ import annotations

from typing import Any

from moto_glue_workflows._moto import FakeTrigger, ObservedState

TRIGGER_UPDATE_MODEL = "glue::trigger_update"


class TriggerUpdate(ObservedState):
    def __init__(self, trigger: FakeTrigger) -> None:
        super().__init__(TRIGGER_UPDATE_MODEL, transitions=[("UPDATING", "UPDATED")])
        self._status = "UPDATING"
        self.trigger = trigger  # this trigger, not another made later under its name


def trigger_as_read(updates: dict[str, TriggerUpdate], trigger: FakeTrigger) -> dict[str, Any]:
    """The trigger as a read shows it; the read counts as a poll of an update in progress."""
    data = dict(trigger.as_dict())
    update = updates.get(trigger.name)
    if update is not None:
        if update.trigger is trigger and update.status == "UPDATING":
            data["State"] = "UPDATING"
            update.advance()  # this read counted, for the next one
        else:
            del updates[trigger.name]
    return data
