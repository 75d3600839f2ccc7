"""Serving ``awsglue.blueprint.*`` from :mod:`.awsglue_compat` in a layout's interpreter.

The finder is appended to ``sys.meta_path``, so every regular finder is asked first: a real
``awsglue.blueprint`` that the user installed, or that the archive ships, wins. A real ``awsglue``
without the blueprint modules (the ETL library) stays in place and only the missing
``awsglue.blueprint`` modules come from here.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

_COMPAT = "moto_glue_workflows.blueprints.awsglue_compat"

# Served name -> module whose public names it exposes (None: an empty package).
_SERVED: dict[str, str | None] = {
    "awsglue": None,
    "awsglue.blueprint": None,
    "awsglue.blueprint.base_resource": f"{_COMPAT}.base_resource",
    "awsglue.blueprint.job": f"{_COMPAT}.job",
    "awsglue.blueprint.crawler": f"{_COMPAT}.crawler",
    "awsglue.blueprint.workflow": f"{_COMPAT}.workflow",
}
_PACKAGES = ("awsglue", "awsglue.blueprint")


class _CompatLoader(importlib.abc.Loader):
    def __init__(self, source: str | None) -> None:
        self.source = source

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        if self.source is None:
            return
        source = importlib.import_module(self.source)
        names = getattr(source, "__all__", [n for n in vars(source) if not n.startswith("_")])
        for name in names:
            setattr(module, name, getattr(source, name))
        module.__dict__["__all__"] = list(names)
        module.__doc__ = source.__doc__


class AwsglueCompatFinder(importlib.abc.MetaPathFinder):
    """Installed with :meth:`install` in the layout's own interpreter, for the life of that process."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _SERVED:
            return None
        spec = importlib.machinery.ModuleSpec(
            fullname, _CompatLoader(_SERVED[fullname]), is_package=fullname in _PACKAGES
        )
        if fullname in _PACKAGES:
            spec.submodule_search_locations = []
        return spec

    def install(self) -> None:
        sys.meta_path.append(self)
