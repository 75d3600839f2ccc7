"""The lineage graph DataZone builds from processed OpenLineage run events.

Nodes, as DataZone documents them ("The importance of the sourceIdentifier attribute to lineage
nodes", SageMaker Unified Studio user guide; the troubleshooting guide's GetLineageNode examples):

- a job node, sourceIdentifier ``<namespace>.<name>``;
- a job run node (``amazon.datazone.JobRunLineageNodeType``), ``<job namespace>.<job name>/<runId>``;
- a dataset node (``amazon.datazone.DatasetLineageNodeType``), ``<namespace>/<name>``, or the
  resource's ARN for AWS resources: a Glue table (OpenLineage namespace ``arn:aws:glue:<region>:
  <account>``, name ``table/<database>/<table>``) is ``arn:aws:glue:<region>:<account>:table/<db>/<table>``;
  a provisioned Redshift table (``redshift://<cluster>.<region>:<port>``, ``<db>.<schema>.<table>``)
  is ``arn:aws:redshift:<region>:<account>:table/<cluster>/<db>/<schema>/<table>``.

Links run inputs -> job run -> outputs, and job -> job run. Every event that touches a node adds a
version of it at the event's time; links accumulate, so a node as of a time has every link made by
events up to then. Our choices where AWS is silent are in docs/datazone-lineage.md.
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows._moto import mock_random
from moto_glue_workflows.datazone.lineage_events import Dataset, RunEvent

JOB_TYPE = "amazon.datazone.JobLineageNodeType"
JOB_RUN_TYPE = "amazon.datazone.JobRunLineageNodeType"
DATASET_TYPE = "amazon.datazone.DatasetLineageNodeType"
_GLUE_NAMESPACE = re.compile(r"arn:(aws[a-z-]*):glue:([a-z0-9-]+):(\d{12})\Z")
_REDSHIFT_NAMESPACE = re.compile(r"redshift://([^.:/]+)\.([a-z]{2}-[a-z]+-\d)(?::\d+)?\Z")
_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


def job_source_identifier(namespace: str, name: str) -> str:
    return f"{namespace}.{name}"


def run_source_identifier(namespace: str, name: str, run_id: str) -> str:
    return f"{namespace}.{name}/{run_id}"


def dataset_source_identifier(namespace: str, name: str, account_id: str) -> str:
    """The dataset's ARN when OpenLineage's naming spec says it is an AWS resource DataZone names by
    ARN; ``<namespace>/<name>`` otherwise."""
    glue = _GLUE_NAMESPACE.match(namespace)
    if glue and name.startswith("table/"):
        return f"{namespace}:{name}"
    redshift = _REDSHIFT_NAMESPACE.match(namespace)
    parts = name.split(".")
    if redshift and len(parts) == 3:
        cluster, region = redshift.groups()
        return f"arn:aws:redshift:{region}:{account_id}:table/{cluster}/{'/'.join(parts)}"
    return f"{namespace.rstrip('/')}/{name.lstrip('/')}"


@dataclass
class NodeVersion:
    event_timestamp: datetime.datetime
    updated_at: datetime.datetime
    updated_by: str
    upstream: set[str] = field(default_factory=set)
    downstream: set[str] = field(default_factory=set)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class LineageNode:
    domain_id: str
    id: str
    type_name: str
    source_identifier: str
    name: str
    form_name: str
    created_at: datetime.datetime
    created_by: str
    versions: list[NodeVersion] = field(default_factory=list)

    def version_at(self, when: datetime.datetime | None) -> NodeVersion | None:
        """The node as of ``when`` (its latest version when None)."""
        if when is None:
            return self.versions[-1] if self.versions else None
        index = bisect.bisect_right([v.event_timestamp for v in self.versions], when)
        return self.versions[index - 1] if index else None

    def touch(
        self,
        when: datetime.datetime,
        now: datetime.datetime,
        caller: str,
        upstream: set[str],
        downstream: set[str],
        details: dict[str, Any],
    ) -> None:
        """Add the links and details an event at ``when`` gives this node."""
        stamps = [v.event_timestamp for v in self.versions]
        index = bisect.bisect_left(stamps, when)
        if index < len(self.versions) and self.versions[index].event_timestamp == when:
            version = self.versions[index]
        else:
            before = self.versions[index - 1] if index else None
            version = NodeVersion(
                when,
                now,
                caller,
                set(before.upstream) if before else set(),
                set(before.downstream) if before else set(),
                dict(before.details) if before else {},
            )
            self.versions.insert(index, version)
        version.updated_at, version.updated_by = now, caller
        version.details.update(details)
        # Links accumulate: every later version has them too.
        for later in self.versions[index:]:
            later.upstream |= upstream
            later.downstream |= downstream

    def _summary(self, version: NodeVersion) -> dict[str, Any]:
        return {
            "domainId": self.domain_id,
            "name": self.name,
            "createdAt": self.created_at,
            "createdBy": self.created_by,
            "updatedAt": version.updated_at,
            "updatedBy": version.updated_by,
            "id": self.id,
            "typeName": self.type_name,
            "typeRevision": "1",
            "sourceIdentifier": self.source_identifier,
            "eventTimestamp": version.event_timestamp,
        }

    def to_summary(self, version: NodeVersion) -> dict[str, Any]:
        return self._summary(version)

    def to_get(self, version: NodeVersion, graph: LineageGraph) -> dict[str, Any]:
        data = self._summary(version)
        data["formsOutput"] = [
            {
                "formName": self.form_name,
                "typeName": f"amazon.datazone.{self.form_name}Type",
                "typeRevision": "1",
                "content": json.dumps(version.details, sort_keys=True, default=str),
            }
        ]
        data["upstreamNodes"] = graph.references(version.upstream, version.event_timestamp)
        data["downstreamNodes"] = graph.references(version.downstream, version.event_timestamp)
        return data


class LineageGraph:
    """One domain's lineage nodes, by generated id and by sourceIdentifier."""

    def __init__(self, domain_id: str, account_id: str) -> None:
        self.domain_id = domain_id
        self.account_id = account_id
        self.nodes: dict[str, LineageNode] = {}
        self.by_source: dict[str, str] = {}

    def find(self, identifier: str) -> LineageNode | None:
        """By the id DataZone generated, or by sourceIdentifier (GetLineageNode accepts both)."""
        node = self.nodes.get(identifier)
        if node is None and identifier in self.by_source:
            node = self.nodes[self.by_source[identifier]]
        return node

    def _node(
        self, type_name: str, form_name: str, source: str, name: str, now: datetime.datetime, caller: str
    ) -> LineageNode:
        found = self.by_source.get(source)
        if found is not None:
            return self.nodes[found]
        node_id = "".join(mock_random.choice(_ID_CHARS) for _ in range(14))
        node = LineageNode(self.domain_id, node_id, type_name, source, name, form_name, now, caller)
        self.nodes[node_id] = node
        self.by_source[source] = node_id
        return node

    def references(self, ids: set[str], when: datetime.datetime) -> list[dict[str, Any]]:
        refs = []
        for node_id in sorted(ids):
            node = self.nodes[node_id]
            version = node.version_at(when) or node.version_at(None)
            ref: dict[str, Any] = {"id": node_id}
            if version is not None:
                ref["eventTimestamp"] = version.event_timestamp
            refs.append(ref)
        return refs

    def _dataset(self, dataset: Dataset, now: datetime.datetime, caller: str) -> LineageNode:
        source = dataset_source_identifier(dataset.namespace, dataset.name, self.account_id)
        return self._node(DATASET_TYPE, "DatasetPropertiesForm", source, dataset.name, now, caller)

    def apply(self, event: RunEvent, now: datetime.datetime, caller: str) -> None:
        """Add one processed run event's nodes and links."""
        when = event.event_time
        job = self._node(
            JOB_TYPE,
            "JobPropertiesForm",
            job_source_identifier(event.job_namespace, event.job_name),
            event.job_name,
            now,
            caller,
        )
        run = self._node(
            JOB_RUN_TYPE,
            "JobRunPropertiesForm",
            run_source_identifier(event.job_namespace, event.job_name, event.run_id),
            event.run_id,
            now,
            caller,
        )
        inputs = [self._dataset(d, now, caller) for d in event.inputs]
        outputs = [self._dataset(d, now, caller) for d in event.outputs]
        job_details: dict[str, Any] = {"namespace": event.job_namespace, "name": event.job_name}
        if event.job_facets:
            job_details["facets"] = event.job_facets
        job.touch(when, now, caller, set(), {run.id}, job_details)
        run_details: dict[str, Any] = {"runId": event.run_id, "jobId": job.id}
        if event.event_type is not None:
            run_details["state"] = event.event_type
        if event.run_facets:
            run_details["facets"] = event.run_facets
        run.touch(when, now, caller, {job.id, *(n.id for n in inputs)}, {n.id for n in outputs}, run_details)
        for dataset, node in zip(event.inputs, inputs, strict=True):
            node.touch(when, now, caller, set(), {run.id}, _dataset_details(dataset))
        for dataset, node in zip(event.outputs, outputs, strict=True):
            node.touch(when, now, caller, {run.id}, set(), _dataset_details(dataset))


def _dataset_details(dataset: Dataset) -> dict[str, Any]:
    details: dict[str, Any] = {"namespace": dataset.namespace, "name": dataset.name}
    if dataset.facets:
        details["facets"] = dataset.facets
    return details
