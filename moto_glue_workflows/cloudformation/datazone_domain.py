"""``AWS::DataZone::Domain``: made by our DataZone's CreateDomain, so lineage and job runs go into it as into one
made by API calls. Ref is the domain's id; Fn::GetAtt reads what GetDomain answers. CloudFormation waits for a
new domain to be AVAILABLE: the domain's state model moves it there (immediately unless a test set otherwise)."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any, ClassVar

from moto_glue_workflows import _moto
from moto_glue_workflows._moto import CloudFormationModel
from moto_glue_workflows.cloudformation.properties import service_request, tag_map
from moto_glue_workflows.cloudformation.resource import StackResource
from moto_glue_workflows.datazone.exceptions import UnknownDomain
from moto_glue_workflows.datazone.models import DataZoneBackend, Domain, datazone_backends

# the template's members, CreateDomain's name for each
_MEMBERS = {
    "Name": "name",
    "Description": "description",
    "DomainExecutionRole": "domainExecutionRole",
    "KmsKeyIdentifier": "kmsKeyIdentifier",
    "DomainVersion": "domainVersion",
    "ServiceRole": "serviceRole",
}


def _backend(account_id: str, region: str) -> DataZoneBackend:
    return _moto.backend_for(datazone_backends, account_id, region)  # type: ignore[no-any-return]


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


class DataZoneDomainResource(StackResource, CloudFormationModel):
    """Ref: the domain's id. Fn::GetAtt: Arn, CreatedAt, Id, LastUpdatedAt, ManagedAccountId, PortalUrl,
    RootDomainUnitId, Status."""

    TYPE: ClassVar[str] = "AWS::DataZone::Domain"
    SERVICE = "DataZone"
    NAME_PROPERTY = ""  # DataZone makes the id
    PROPERTIES = (
        "Description",
        "DomainExecutionRole",
        "DomainVersion",
        "KmsKeyIdentifier",
        "Name",
        "ServiceRole",
        "SingleSignOn",
        "Tags",
    )
    REQUIRED = ("Name",)
    OBJECTS = ("SingleSignOn",)
    ARRAYS = ("Tags",)
    REPLACED_BY = (("KmsKeyIdentifier",), ("DomainVersion",))
    ATTRIBUTES = (
        "Arn",
        "CreatedAt",
        "Id",
        "LastUpdatedAt",
        "ManagedAccountId",
        "PortalUrl",
        "RootDomainUnitId",
        "Status",
    )

    @staticmethod
    def _spec(properties: dict[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {member: properties.get(key) for key, member in _MEMBERS.items()}
        single_sign_on = properties.get("SingleSignOn")
        if isinstance(single_sign_on, dict):
            spec["singleSignOn"] = {
                "type": single_sign_on.get("Type"),
                "userAssignment": single_sign_on.get("UserAssignment"),
                "idcInstanceArn": single_sign_on.get("IdcInstanceArn"),
            }
            spec["singleSignOn"] = {key: value for key, value in spec["singleSignOn"].items() if value is not None}
        spec["tags"] = tag_map(properties.get("Tags"))
        return service_request("datazone", "CreateDomain", spec)

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        return _backend(account_id, region).create_domain(cls._spec(properties)).id

    def _domain(self) -> Domain:
        return _backend(self.account_id, self.region).describe_domain(self.physical_resource_id)

    def modify(self, properties: dict[str, Any]) -> None:
        # the template is the whole definition: no Tags is no tags (the domain's tags are updated, docs/cloudformation.md)
        spec = {"tags": {}, **self._spec(properties)}
        _backend(self.account_id, self.region).update_domain(self.physical_resource_id, spec)

    def remove(self) -> None:
        with contextlib.suppress(UnknownDomain):  # already gone
            _backend(self.account_id, self.region).delete_domain(self.physical_resource_id)

    def attribute(self, name: str) -> Any:
        domain = self._domain()
        return {
            "Arn": domain.arn,
            "CreatedAt": _iso(domain.created_at),
            "Id": domain.id,
            "LastUpdatedAt": _iso(domain.last_updated_at),
            "ManagedAccountId": domain.account_id,
            "PortalUrl": domain.portal_url,
            "RootDomainUnitId": domain.root_domain_unit_id,
            "Status": domain.status,
        }[name]
