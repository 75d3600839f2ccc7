"""``AWS::Glue::Database``, ``AWS::Glue::Table`` and ``AWS::Glue::Connection``: the Data Catalog in moto's Glue.

Each is named inside its input (``DatabaseInput.Name``, ``TableInput.Name``, ``ConnectionInput.Name``; the
newer ``DatabaseName`` and ``Name`` properties say the same), so the name CloudFormation would make from the
stack's is used only when the template gives none. ``CatalogId`` is the account the stack is in.
"""

from __future__ import annotations

from typing import Any, ClassVar

from moto_glue_workflows._moto import CloudFormationModel
from moto_glue_workflows.cloudformation.glue_workflows import glue_backend
from moto_glue_workflows.cloudformation.properties import service_request, tag_map
from moto_glue_workflows.cloudformation.resource import StackResource
from moto_glue_workflows.glue.exceptions import EntityNotFoundException


def _input(properties: dict[str, Any], key: str) -> dict[str, Any]:
    value = properties.get(key)
    return dict(value) if isinstance(value, dict) else {}


class GlueDatabaseResource(StackResource, CloudFormationModel):
    """Ref: the database's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Database"
    NAME_PROPERTY = ""
    PROPERTIES = ("CatalogId", "DatabaseInput", "DatabaseName")
    REQUIRED = ("CatalogId", "DatabaseInput")
    REPLACED_BY = (("CatalogId",),)

    @classmethod
    def custom_name(cls, properties: dict[str, Any]) -> str | None:
        name = properties.get("DatabaseName") or _input(properties, "DatabaseInput").get("Name")
        return None if name is None else str(name)

    @classmethod
    def identity(cls, properties: dict[str, Any]) -> tuple[Any, ...]:
        return (*super().identity(properties), cls.custom_name(properties))

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        database_input = {**_input(properties, "DatabaseInput"), "Name": name}
        return service_request(
            "glue", "CreateDatabase", {"CatalogId": properties.get("CatalogId"), "DatabaseInput": database_input}
        )

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        name = cls.custom_name(properties) or name
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            backend.glue.create_database(name, request["DatabaseInput"], None)
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.update_database(self.physical_resource_id, request["DatabaseInput"])

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete_database(self.physical_resource_id)


class GlueTableResource(StackResource, CloudFormationModel):
    """Ref: the table's name. No Fn::GetAtt attributes."""

    TYPE: ClassVar[str] = "AWS::Glue::Table"
    NAME_PROPERTY = ""
    PROPERTIES = ("CatalogId", "DatabaseName", "Name", "OpenTableFormatInput", "TableInput")
    REQUIRED = ("CatalogId", "DatabaseName", "TableInput")
    REPLACED_BY = (("CatalogId",), ("DatabaseName",))

    @classmethod
    def custom_name(cls, properties: dict[str, Any]) -> str | None:
        name = properties.get("Name") or _input(properties, "TableInput").get("Name")
        return None if name is None else str(name)

    @classmethod
    def identity(cls, properties: dict[str, Any]) -> tuple[Any, ...]:
        return (*super().identity(properties), cls.custom_name(properties))

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        return service_request(
            "glue",
            "CreateTable",
            {
                "CatalogId": properties.get("CatalogId"),
                "DatabaseName": properties.get("DatabaseName"),
                "TableInput": {**_input(properties, "TableInput"), "Name": name},
                "OpenTableFormatInput": properties.get("OpenTableFormatInput"),
            },
        )

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        name = cls.custom_name(properties) or name.lower()  # Glue keeps table names in lower case
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            backend.glue.create_table(request["DatabaseName"], name, request["TableInput"])
        return name

    def modify(self, properties: dict[str, Any]) -> None:
        request = self._request(self.physical_resource_id, properties)
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.update_table(request["DatabaseName"], self.physical_resource_id, request["TableInput"])

    def remove(self) -> None:
        backend = glue_backend(self.account_id, self.region)
        with backend.lock:
            backend.glue.delete_table(str(self.properties.get("DatabaseName")), self.physical_resource_id)


class GlueConnectionResource(StackResource, CloudFormationModel):
    """Ref: the connection's name; Fn::GetAtt Name, the same."""

    TYPE: ClassVar[str] = "AWS::Glue::Connection"
    NAME_PROPERTY = ""
    PROPERTIES = ("CatalogId", "ConnectionInput", "Tags")
    REQUIRED = ("CatalogId", "ConnectionInput")
    REPLACED_BY = (("CatalogId",), ("ConnectionInput", "Name"))
    ATTRIBUTES = ("Name",)

    @classmethod
    def custom_name(cls, properties: dict[str, Any]) -> str | None:
        name = _input(properties, "ConnectionInput").get("Name")
        return None if name is None else str(name)

    @staticmethod
    def _request(name: str, properties: dict[str, Any]) -> dict[str, Any]:
        return service_request(
            "glue",
            "CreateConnection",
            {
                "CatalogId": properties.get("CatalogId"),
                "ConnectionInput": {**_input(properties, "ConnectionInput"), "Name": name},
                "Tags": tag_map(properties.get("Tags")),
            },
        )

    @classmethod
    def create(cls, name: str, properties: dict[str, Any], account_id: str, region: str) -> str:
        name = cls.custom_name(properties) or name
        request = cls._request(name, properties)
        backend = glue_backend(account_id, region)
        with backend.lock:
            backend.glue.create_connection(account_id, request["ConnectionInput"], request.get("Tags") or {})
        return name

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
