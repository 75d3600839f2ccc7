"""Reading a blueprint ZIP archive into a :class:`LoadedBlueprint`, or saying precisely why not.

AWS rules (AWS Glue developer guide): the archive is at most 1 MB compressed and 5 MB uncompressed
("Blueprint and workflow restrictions"); ``blueprint.cfg`` is "placed at the root level of the ZIP
archive or within a folder which has the same name as the ZIP archive", and ``layoutGenerator`` is
resolved from the archive's root, so ``compaction.layout.generate_layout`` needs
``compaction/layout.py`` ("Troubleshooting blueprint errors"); ``blueprint.cfg`` holds
``layoutGenerator`` and ``parameterSpec`` ("Creating the configuration file").
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moto_glue_workflows.blueprints.errors import BlueprintArchiveError
from moto_glue_workflows.blueprints.json_depth import NestedTooDeep, loads_within_depth
from moto_glue_workflows.blueprints.parameter_spec import ParameterSpec, parse_parameter_spec, show

MAX_COMPRESSED_BYTES = 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024
CONFIG_NAME = "blueprint.cfg"

_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
# Finder metadata that macOS's archiver adds beside the real content.
_IGNORED_PREFIXES = ("__MACOSX/",)


def missing_object_message(location: str) -> str:
    """What AWS records when the archive's S3 object cannot be read."""
    return f"Unable to access object at location {location}"


@dataclass(frozen=True)
class LoadedBlueprint:
    """A registered blueprint's archive, checked and held in memory for its runs."""

    location: str
    files: Mapping[str, bytes] = field(repr=False)
    # The folder holding blueprint.cfg, or None when blueprint.cfg is at the archive's root.
    folder: str | None
    layout_generator: str
    parameter_spec: ParameterSpec
    config: Mapping[str, Any] = field(repr=False)

    @property
    def module_name(self) -> str:
        return self.layout_generator.rpartition(".")[0]

    @property
    def function_name(self) -> str:
        return self.layout_generator.rpartition(".")[2]

    @property
    def parameter_spec_json(self) -> str:
        """``ParameterSpec`` as GetBlueprint(IncludeParameterSpec=True) returns it."""
        return self.parameter_spec.to_json()


def _fail(location: str, reason: str) -> BlueprintArchiveError:
    return BlueprintArchiveError(f"Invalid blueprint archive at location {location}: {reason}")


def _archive_stem(location: str) -> str:
    name = location.rstrip("/").rpartition("/")[2]
    return name[:-4] if name.lower().endswith(".zip") else name


def _member_name(name: str) -> str:
    # Some Windows archivers write backslashes; unzip, as AWS runs it, reads them as separators.
    return name.replace("\\", "/")


def _safe_member(name: str) -> bool:
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


def _read_members(data: bytes, location: str) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise _fail(location, f"the object is not a valid ZIP archive ({exc})") from exc
    with archive:
        infos = [
            info
            for info in archive.infolist()
            if not _member_name(info.filename).endswith("/")
            and not _member_name(info.filename).startswith(_IGNORED_PREFIXES)
        ]
        for info in infos:
            if not _safe_member(_member_name(info.filename)):
                raise _fail(location, f"the entry {info.filename!r} points outside the archive's folder")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise _fail(
                location,
                f"the uncompressed size of {declared} bytes exceeds the maximum of 5 MB ({MAX_UNCOMPRESSED_BYTES} bytes)",
            )
        files: dict[str, bytes] = {}
        total = 0
        for info in infos:
            try:
                with archive.open(info) as member:
                    # Headers can understate sizes: count what actually comes out.
                    content = member.read(MAX_UNCOMPRESSED_BYTES - total + 1)
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError) as exc:
                raise _fail(location, f"the entry {info.filename!r} cannot be extracted ({exc})") from exc
            total += len(content)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise _fail(
                    location, f"the uncompressed size exceeds the maximum of 5 MB ({MAX_UNCOMPRESSED_BYTES} bytes)"
                )
            files[posixpath.normpath(_member_name(info.filename))] = content
    return files


def _find_config(files: Mapping[str, bytes], location: str) -> str | None:
    if CONFIG_NAME in files:
        return None
    stem = _archive_stem(location)
    if f"{stem}/{CONFIG_NAME}" in files:
        return stem
    elsewhere = sorted(name for name in files if posixpath.basename(name) == CONFIG_NAME)
    expected = f"at the root of the archive or in a folder named after the archive ({stem}/{CONFIG_NAME})"
    if elsewhere:
        raise _fail(location, f"{CONFIG_NAME} must be {expected}, but the archive has {', '.join(elsewhere)}")
    raise _fail(location, f"the archive has no {CONFIG_NAME}; it must be {expected}")


def _module_present(files: Mapping[str, bytes], module: str) -> bool:
    path = module.replace(".", "/")
    return f"{path}.py" in files or f"{path}/__init__.py" in files


def load_archive(data: bytes, location: str) -> LoadedBlueprint:
    """Check a blueprint archive's bytes; :class:`BlueprintArchiveError` says what is wrong and where."""
    try:
        return _load_archive(data, location)
    except RecursionError:
        # JSON nested deeper than Python's parser and checks go: a broken configuration, not a crash.
        raise _fail(location, f"{CONFIG_NAME} is not valid JSON: it is nested too deeply") from None


def _load_archive(data: bytes, location: str) -> LoadedBlueprint:
    if len(data) > MAX_COMPRESSED_BYTES:
        raise _fail(
            location,
            f"the compressed size of {len(data)} bytes exceeds the maximum of 1 MB ({MAX_COMPRESSED_BYTES} bytes)",
        )
    files = _read_members(data, location)
    folder = _find_config(files, location)
    config_path = f"{folder}/{CONFIG_NAME}" if folder else CONFIG_NAME

    try:
        config = loads_within_depth(files[config_path].decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _fail(location, f"{config_path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise _fail(
            location, f"{config_path} is not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})"
        ) from exc
    except NestedTooDeep as exc:
        raise _fail(location, f"{config_path} is not valid JSON: {exc}") from None
    if not isinstance(config, dict):
        raise _fail(location, f"{config_path} must hold a JSON object, got {show(config)}")

    generator = config.get("layoutGenerator")
    if generator is None:
        raise _fail(location, f"{config_path} has no layoutGenerator")
    if not isinstance(generator, str) or _DOTTED_NAME.fullmatch(generator) is None:
        raise _fail(
            location,
            f"layoutGenerator {show(generator)} in {config_path} is not the fully qualified name of a function "
            "(package.module.function)",
        )
    module = generator.rpartition(".")[0]
    if not _module_present(files, module):
        reason = (
            f"layoutGenerator {generator} in {config_path} names module {module}, "
            f"but the archive has no {module.replace('.', '/')}.py"
        )
        if folder and _module_present(files, f"{folder}.{module}"):
            # The commonest mistake AWS's troubleshooting guide lists: the path lacks the folder.
            reason += f" (modules resolve from the archive's root: use {folder}.{generator})"
        raise _fail(location, reason)

    if "parameterSpec" not in config:
        raise _fail(location, f"{config_path} has no parameterSpec")
    try:
        spec = parse_parameter_spec(config["parameterSpec"])
    except ValueError as exc:
        raise _fail(location, f"{config_path}: {exc}") from exc

    return LoadedBlueprint(
        location=location,
        files=files,
        folder=folder,
        layout_generator=generator,
        parameter_spec=spec,
        config=config,
    )
