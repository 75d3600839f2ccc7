"""``AWS::Glue::Database``, ``AWS::Glue::Table`` and ``AWS::Glue::Connection``: the Data Catalog in moto's Glue.

Each is named inside its input (``DatabaseInput.Name``, ``TableInput.Name``, ``ConnectionInput.Name``; the
newer ``DatabaseName`` and ``Name`` properties say the same), so the name CloudFormation would make from the
stack's is used only when the template gives none. ``CatalogId`` must be the account the stack is in: another
account's catalog is refused as Glue refuses a caller it has granted nothing (AccessDeniedException; moto keeps no
catalog resource policies, so nothing is ever granted). docs/cloudformation.md gives the choice.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moto_glue_workflows._moto import CloudFormationModel
from moto_glue_workflows.cloudformation.glue_workflows import glue_backend
from moto_glue_workflows.cloudformation.properties import service_request, tag_map
from moto_glue_workflows.cloudformation.resource import StackResource
from moto_glue_workflows.glue.exceptions import AccessDeniedException, EntityNotFoundException


def _input(properties: dict[str, Any], key: str) -> dict[str, Any]:
    value = properties.get(key)
    return dict(value) if isinstance(value, dict) else {}


class _CatalogResource(StackResource):
    """What the Data Catalog's types share: the name inside the input (or a top-level property saying the same),
    which replaces the resource when it changes, and the catalog, the stack's account's."""

    NAME_PROPERTY = ""
    #: the top-level property naming the resource ("" for none), and the input holding ``Name``
    NAMED_BY: ClassVar[tuple[str, str]]
    #: the operation the catalog check names, as IAM names the action
    CREATE: ClassVar[str]

    @classmethod
    def custom_name(cls, properties: dict[str, Any]) -> str | None:
        top, input_key = cls.NAMED_BY
        name = (properties.get(top) if top else None) or _input(properties, input_key).get("Name")
        return None if name is None else str(name)

    @classmethod
    def identity(cls, properties: dict[str, Any]) -> tuple[Any, ...]:
        return (*super().identity(properties), cls.custom_name(properties))

    @classmethod
    def _members(cls, properties: dict[str, Any]) -> dict[str, Any]:
        """The request's members besides the catalog and the input."""
        return {}

    @classmethod
    def _request(cls, name: str, properties: dict[str, Any]) -> dict[str, Any]:
        input_key = cls.NAMED_BY[1]
        request = {
            "CatalogId": properties.get("CatalogId"),
            input_key: {**_input(properties, input_key), "Name": name},
            **cls._members(properties),
        }
        return service_request("glue", cls.CREATE, request)

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        name = cls.custom_name(properties) or cls._made_name(name)
        request = cls._request(name, properties)
        cls._check_catalog(request, account_id, region)
        backend = glue_backend(account_id, region)
        with backend.lock:
            cls._store(backend.glue, name, request, account_id)
        return name

    @classmethod
    def _made_name(cls, name: str) -> str:
        """The name CloudFormation made from the stack's, as the catalog keeps it."""
        return name

    @classmethod
    def _store(cls, glue: Any, name: str, request: dict[str, Any], account_id: str) -> None:
        """The Create call in moto's Glue (under the backend's lock)."""
        raise NotImplementedError

    @classmethod
    def _check_catalog(cls, properties: dict[str, Any], account_id: str, region: str) -> None:
        catalog = properties.get("CatalogId")
        if catalog is not None and str(catalog) != account_id:
            raise AccessDeniedException(
                f"User: arn:aws:iam::{account_id}:root is not authorized to perform: glue:{cls.CREATE} on resource: "
                f"arn:aws:glue:{region}:{catalog}:catalog"
            )


class GlueDatabaseResource(_CatalogResource, CloudFormationModel):
    """Ref: the database's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Database"
    PROPERTIES = ("CatalogId", "DatabaseInput", "DatabaseName")
    REQUIRED = ("CatalogId", "DatabaseInput")
    REPLACED_BY = (("CatalogId",),)
    OBJECTS = ("DatabaseInput",)
    NAMED_BY = ("DatabaseName", "DatabaseInput")
    CREATE = "CreateDatabase"

    @classmethod
    def _store(cls, glue: Any, name: str, request: dict[str, Any], account_id: str) -> None:
        glue.create_database(name, request["DatabaseInput"], None)

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.update_database(self.physical_resource_id, request["DatabaseInput"])

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete_database(self.physical_resource_id)


class GlueTableResource(_CatalogResource, CloudFormationModel):
    """Ref: the table's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Table"
    PROPERTIES = ("CatalogId", "DatabaseName", "Name", "OpenTableFormatInput", "TableInput")
    REQUIRED = ("CatalogId", "DatabaseName", "TableInput")
    REPLACED_BY = (("CatalogId",), ("DatabaseName",))
    OBJECTS = ("OpenTableFormatInput", "TableInput")
    NAMED_BY = ("Name", "TableInput")
    CREATE = "CreateTable"

    @classmethod
    def _members(cls, properties: dict[str, Any]) -> dict[str, Any]:
        return {key: properties.get(key) for key in ("DatabaseName", "OpenTableFormatInput")}

    @classmethod
    def _made_name(cls, name: str) -> str:
        return name.lower()  # Glue keeps table names in lower case

    @classmethod
    def _store(cls, glue: Any, name: str, request: dict[str, Any], account_id: str) -> None:
        glue.create_table(request["DatabaseName"], name, request["TableInput"])

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.update_table(request["DatabaseName"], self.physical_resource_id, request["TableInput"])

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete_table(str(self.properties.get("DatabaseName")), self.physical_resource_id)


class GlueConnectionResource(_CatalogResource, CloudFormationModel):
    """Ref: the connection's name; Fn::GetAtt Name, the same."""

    TYPE: ClassVar[str] = "AWS::Glue::Connection"
    PROPERTIES = ("CatalogId", "ConnectionInput", "Tags")
    REQUIRED = ("CatalogId", "ConnectionInput")
    REPLACED_BY = (("CatalogId",), ("ConnectionInput", "Name"))
    OBJECTS = ("ConnectionInput", "Tags")
    ATTRIBUTES = ("Name",)
    NAMED_BY = ("", "ConnectionInput")
    CREATE = "CreateConnection"

    @classmethod
    def _members(cls, properties: dict[str, Any]) -> dict[str, Any]:
        return {"Tags": tag_map(properties.get("Tags"))}

    @classmethod
    def _store(cls, glue: Any, name: str, request: dict[str, Any], account_id: str) -> None:
        glue.create_connection(account_id, request["ConnectionInput"], request.get("Tags") or {})

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            if not backend.glue.connection_exists(self.physical_resource_id):
                raise EntityNotFoundException(f"Connection {self.physical_resource_id} not found")
            backend.glue.update_connection(self.account_id, request["ConnectionInput"])

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete_connection(self.physical_resource_id)

    def attribute(self, name: str) -> Any:
        return self.physical_resource_id
