"""Reading blueprint ZIP archives: what registers, and the precise reason for what does not."""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import pytest

from moto_glue_workflows.blueprints import (
    MAX_COMPRESSED_BYTES,
    BlueprintArchiveError,
    LoadedBlueprint,
    load_archive,
    missing_object_message,
)

LOCATION = "s3://blueprints-bucket/bp.zip"

SIMPLE_LAYOUT = """
from awsglue.blueprint.workflow import Workflow, Entities
from awsglue.blueprint.job import Job


def generate_layout(user_params, system_params):
    job = Job(Name="etl", Role="arn:aws:iam::123456789012:role/glue",
              Command={"Name": "glueetl", "ScriptLocation": "s3://scripts/etl.py"})
    return Workflow(Name=user_params["WorkflowName"], Entities=Entities(Jobs=[job]))
"""

SPEC: dict[str, Any] = {
    "WorkflowName": {"type": "String", "collection": False, "description": "Name for the workflow."},
    "Dpu": {"type": "Integer", "allowedValues": [2, 4, 6], "defaultValue": 2},
}


def make_zip(files: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive holding ``files`` (path -> content), built in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def blueprint_files(
    folder: str = "bp",
    layout: str = SIMPLE_LAYOUT,
    spec: dict[str, Any] | None = None,
    generator: str | None = None,
    extra: dict[str, str | bytes] | None = None,
) -> dict[str, str | bytes]:
    """The files of a blueprint project in ``folder`` ("" for the archive's root)."""
    prefix = f"{folder}/" if folder else ""
    config = {
        "layoutGenerator": generator or f"{prefix.replace('/', '.')}layout.generate_layout",
        "parameterSpec": SPEC if spec is None else spec,
    }
    files: dict[str, str | bytes] = {f"{prefix}blueprint.cfg": json.dumps(config), f"{prefix}layout.py": layout}
    files.update({f"{prefix}{name}": content for name, content in (extra or {}).items()})
    return files


def blueprint_zip(**kwargs: Any) -> bytes:
    return make_zip(blueprint_files(**kwargs))


def load(files: dict[str, str | bytes], location: str = LOCATION) -> LoadedBlueprint:
    return load_archive(make_zip(files), location)


def load_error(files: dict[str, str | bytes] | bytes, location: str = LOCATION) -> str:
    data = files if isinstance(files, bytes) else make_zip(files)
    with pytest.raises(BlueprintArchiveError) as caught:
        load_archive(data, location)
    message = caught.value.message
    assert message == str(caught.value)
    assert message.startswith(f"Invalid blueprint archive at location {location}: ")
    return message


# --- archives that register ---------------------------------------------------------------------


def test_folder_archive_loads_with_generator_and_spec() -> None:
    blueprint = load_archive(blueprint_zip(), LOCATION)
    assert blueprint.location == LOCATION
    assert blueprint.folder == "bp"
    assert blueprint.layout_generator == "bp.layout.generate_layout"
    assert (blueprint.module_name, blueprint.function_name) == ("bp.layout", "generate_layout")
    assert set(blueprint.files) == {"bp/blueprint.cfg", "bp/layout.py"}
    assert [p.name for p in blueprint.parameter_spec.parameters] == ["WorkflowName", "Dpu"]
    dpu = blueprint.parameter_spec.get("Dpu")
    assert dpu is not None and dpu.has_default and dpu.default == 2 and dpu.allowed_values == (2, 4, 6)


def test_parameter_spec_json_is_compact_and_keeps_the_authors_order() -> None:
    blueprint = load_archive(blueprint_zip(), LOCATION)
    assert blueprint.parameter_spec_json == json.dumps(SPEC, separators=(",", ":"))
    assert list(json.loads(blueprint.parameter_spec_json)) == ["WorkflowName", "Dpu"]


def test_root_level_archive_loads() -> None:
    # AWS's troubleshooting guide allows blueprint.cfg at the root with "layout.generate_layout".
    blueprint = load(blueprint_files(folder=""))
    assert blueprint.folder is None
    assert blueprint.layout_generator == "layout.generate_layout"


def test_folder_named_after_the_archive_is_found_under_any_key_prefix() -> None:
    blueprint = load(blueprint_files(folder="compaction"), "s3://bucket/team/blueprints/compaction.zip")
    assert blueprint.folder == "compaction"


def test_package_module_and_package_init_are_accepted() -> None:
    nested = blueprint_files(generator="bp.gen.layout.generate_layout", extra={"gen/layout.py": SIMPLE_LAYOUT})
    assert load(nested).module_name == "bp.gen.layout"
    package = blueprint_files(generator="bp.gen.generate_layout", extra={"gen/__init__.py": SIMPLE_LAYOUT})
    assert load(package).module_name == "bp.gen"


def test_macos_metadata_folder_is_ignored() -> None:
    files = blueprint_files()
    files["__MACOSX/bp/._layout.py"] = b"\x00\x05\x16\x07"
    blueprint = load(files)
    assert "__MACOSX/bp/._layout.py" not in blueprint.files


def test_windows_style_separators_are_read_as_folders() -> None:
    files = {name.replace("/", "\\"): content for name, content in blueprint_files().items()}
    files["bp\\"] = ""
    blueprint = load(files)
    assert set(blueprint.files) == {"bp/blueprint.cfg", "bp/layout.py"}
    assert blueprint.folder == "bp"


def test_config_with_byte_order_mark_loads() -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = "\ufeff" + str(files["bp/blueprint.cfg"])
    assert load(files).layout_generator == "bp.layout.generate_layout"


def test_missing_object_message_is_the_aws_text() -> None:
    assert missing_object_message("s3://b/k.zip") == "Unable to access object at location s3://b/k.zip"


# --- broken or oversized archives -------------------------------------------------------------------


def test_bytes_that_are_not_a_zip_are_rejected() -> None:
    message = load_error(b"this is not a zip archive at all")
    assert "not a valid ZIP archive" in message


def test_truncated_zip_is_rejected() -> None:
    data = blueprint_zip()
    message = load_error(data[: len(data) // 2])
    assert "not a valid ZIP archive" in message


def test_corrupt_member_is_rejected_with_its_name() -> None:
    data = bytearray(make_zip(blueprint_files(), compression=zipfile.ZIP_STORED))
    start = data.index(b"def generate_layout")
    data[start : start + 3] = b"XXX"  # the CRC no longer matches
    message = load_error(bytes(data))
    assert "'bp/layout.py' cannot be extracted" in message


def test_archive_over_one_megabyte_compressed_is_rejected() -> None:
    noise = os.urandom(MAX_COMPRESSED_BYTES + 1024)
    data = make_zip(blueprint_files(extra={"data.bin": noise}), compression=zipfile.ZIP_STORED)
    message = load_error(data)
    assert f"the compressed size of {len(data)} bytes exceeds the maximum of 1 MB" in message


def test_archive_over_five_megabytes_uncompressed_is_rejected() -> None:
    data = blueprint_zip(extra={"zeros.bin": b"\0" * (5 * 1024 * 1024)})
    assert len(data) < MAX_COMPRESSED_BYTES
    message = load_error(data)
    assert "exceeds the maximum of 5 MB (5242880 bytes)" in message


def test_entry_escaping_the_archive_is_rejected() -> None:
    files = blueprint_files()
    files["../evil.py"] = "import os"
    assert "the entry '../evil.py' points outside the archive's folder" in load_error(files)


# --- blueprint.cfg ----------------------------------------------------------------------------------


def test_archive_without_blueprint_cfg_is_rejected() -> None:
    message = load_error({"bp/layout.py": SIMPLE_LAYOUT})
    assert "the archive has no blueprint.cfg" in message
    assert "bp/blueprint.cfg" in message


def test_blueprint_cfg_in_a_folder_not_named_after_the_archive_is_rejected() -> None:
    message = load_error(blueprint_files(folder="other"))
    assert "blueprint.cfg must be at the root of the archive or in a folder named after the archive" in message
    assert "(bp/blueprint.cfg), but the archive has other/blueprint.cfg" in message


def test_blueprint_cfg_that_is_not_json_is_rejected() -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = '{"layoutGenerator": "bp.layout.generate_layout",'
    message = load_error(files)
    assert "bp/blueprint.cfg is not valid JSON" in message
    assert "line 1" in message


def test_blueprint_cfg_must_hold_an_object() -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = "[1, 2]"
    assert "bp/blueprint.cfg must hold a JSON object, got [1, 2]" in load_error(files)


def test_missing_layout_generator_is_rejected() -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = json.dumps({"parameterSpec": SPEC})
    assert "bp/blueprint.cfg has no layoutGenerator" in load_error(files)


@pytest.mark.parametrize("generator", ["generate_layout", "bp.layout.", "bp..layout.gen", "bp.lay-out.gen", 42])
def test_layout_generator_must_be_a_dotted_function_name(generator: Any) -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = json.dumps({"layoutGenerator": generator, "parameterSpec": SPEC})
    message = load_error(files)
    assert f"layoutGenerator {json.dumps(generator)} in bp/blueprint.cfg is not the fully qualified name" in message


def test_layout_generator_naming_a_missing_module_is_rejected() -> None:
    message = load_error(blueprint_files(generator="bp.missing.generate_layout"))
    assert "names module bp.missing, but the archive has no bp/missing.py" in message


def test_layout_generator_without_the_folder_gets_a_hint() -> None:
    message = load_error(blueprint_files(generator="layout.generate_layout"))
    assert "the archive has no layout.py" in message
    assert "use bp.layout.generate_layout" in message


# --- parameterSpec ----------------------------------------------------------------------------------


def test_missing_parameter_spec_is_rejected() -> None:
    files = blueprint_files()
    files["bp/blueprint.cfg"] = json.dumps({"layoutGenerator": "bp.layout.generate_layout"})
    assert "bp/blueprint.cfg has no parameterSpec" in load_error(files)


def test_empty_parameter_spec_is_allowed() -> None:
    assert load(blueprint_files(spec={})).parameter_spec_json == "{}"


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ({"Role": {"type": "Str"}}, 'parameterSpec.Role.type "Str" is not one of String, Integer, Double, Boolean'),
        ({"Role": {"description": "no type"}}, "parameterSpec.Role has no type; type is mandatory"),
        ({"Paths": {"type": "S3Uri", "collection": "yes"}}, "parameterSpec.Paths.collection must be true or false"),
        ({"Size": {"type": "Integer", "allowedValues": 4}}, "parameterSpec.Size.allowedValues must be a list"),
        ({"Size": {"type": "Integer", "description": 7}}, "parameterSpec.Size.description must be a string"),
        ({"Size": "Integer"}, 'parameterSpec.Size must be a JSON object, got "Integer"'),
        (["WorkflowName"], "parameterSpec must be a JSON object of parameter definitions"),
    ],
)
def test_malformed_parameter_spec_is_rejected_naming_the_parameter(spec: Any, reason: str) -> None:
    message = load_error(blueprint_files(spec=spec))
    assert "bp/blueprint.cfg: " in message
    assert reason in message


def test_every_documented_parameter_type_is_accepted() -> None:
    types = ["String", "Integer", "Double", "Boolean", "S3Uri", "S3Bucket", "IAMRoleArn", "IAMRoleName"]
    blueprint = load(blueprint_files(spec={f"p{i}": {"type": kind} for i, kind in enumerate(types)}))
    assert [p.type for p in blueprint.parameter_spec.parameters] == types
    assert all(p.required for p in blueprint.parameter_spec.parameters)
