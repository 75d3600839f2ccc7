"""Running a blueprint's layout generator the way AWS does, inside this process.

AWS extracts the archive and calls ``generate_layout(user_params, system_params)`` with
``system_params = {"region": ..., "accountId": ...}`` ("Creating the blueprint layout script"),
with the working directory at the extraction root: AWS's samples open their job scripts as
``compaction/compaction.py``. A failure is reported as "Unknown error executing layout generator
function <Type>: <message>" ("Troubleshooting blueprint errors").

Imports, ``sys.path`` and the working directory are process-global, so runs are serialised by a
lock and every change is undone afterwards, on errors too: modules the archive provided are
forgotten, so a later archive with the same module names gets its own.
"""

from __future__ import annotations

import copy
import importlib
import os
import secrets
import string
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from moto_glue_workflows.blueprints.archive import LoadedBlueprint
from moto_glue_workflows.blueprints.errors import LayoutError
from moto_glue_workflows.blueprints.import_shim import AwsglueCompatFinder
from moto_glue_workflows.blueprints.plan import LayoutPlan, build_plan
from moto_glue_workflows.blueprints.settings import DISABLED_MESSAGE, execution_enabled

# Reentrant: a layout may call Glue through boto3, and in-process moto could route that back here.
_RUN_LOCK = threading.RLock()

_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
SUFFIX_LENGTH = 8


def new_name_suffix() -> str:
    """A run's suffix for entity names. AWS documents "a randomly generated suffix" but not its
    form; eight lowercase letters and digits keep names short and readable."""
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))


def _extract(files: Mapping[str, bytes], root: Path) -> None:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _top_level_names(files: Mapping[str, bytes], prefix: str) -> set[str]:
    """Names importable from the directory ``prefix`` of the archive ("" for its root)."""
    names = set()
    for path in files:
        if prefix:
            if not path.startswith(prefix + "/"):
                continue
            path = path[len(prefix) + 1 :]
        head, sep, _ = path.partition("/")
        if sep:
            names.add(head)
        elif head.endswith(".py"):
            names.add(head[: -len(".py")])
    return names


def _inside(module: ModuleType, roots: tuple[str, ...]) -> bool:
    locations = [getattr(module, "__file__", None) or ""]
    locations += list(getattr(module, "__path__", None) or [])
    return any(str(location).startswith(roots) for location in locations if location)


@contextmanager
def _sandbox(root: Path, blueprint: LoadedBlueprint) -> Iterator[None]:
    search_paths = [str(root)]
    names = _top_level_names(blueprint.files, "")
    if blueprint.folder:
        # Also the blueprint's own folder, so a layout's plain "import helper" finds its neighbour.
        search_paths.append(str(root / blueprint.folder))
        names |= _top_level_names(blueprint.files, blueprint.folder)
    roots = tuple({str(root) + os.sep, os.path.realpath(root) + os.sep})

    # Same-named modules already imported (from the test suite or elsewhere) must not stand in
    # for the archive's: set them aside and put them back afterwards.
    set_aside = {n: m for n, m in sys.modules.items() if n.partition(".")[0] in names}
    for module_name in set_aside:
        del sys.modules[module_name]
    finder = AwsglueCompatFinder()
    previous_cwd = os.getcwd()
    sys.path[:0] = search_paths
    finder.install()
    importlib.invalidate_caches()
    try:
        os.chdir(root)
        yield
    finally:
        os.chdir(previous_cwd)
        finder.uninstall()
        for path in search_paths:
            if path in sys.path:
                sys.path.remove(path)
            sys.path_importer_cache.pop(path, None)
        for module_name, module in list(sys.modules.items()):
            if module_name.partition(".")[0] in names or _inside(module, roots):
                del sys.modules[module_name]
        sys.modules.update(set_aside)
        importlib.invalidate_caches()


def _generate(
    blueprint: LoadedBlueprint, user_params: Mapping[str, Any], system_params: dict[str, str], name_suffix: str
) -> Any:
    with tempfile.TemporaryDirectory(prefix="moto-glue-blueprint-") as workdir:
        root = Path(workdir)
        _extract(blueprint.files, root)
        with _sandbox(root, blueprint):
            try:
                module = importlib.import_module(blueprint.module_name)
                generator = getattr(module, blueprint.function_name)
                # A copy: the layout may mutate its arguments, the run keeps what was asked for.
                workflow = generator(copy.deepcopy(dict(user_params)), system_params)
                if not callable(getattr(workflow, "to_json", None)):
                    raise LayoutError(
                        f"Layout generator {blueprint.layout_generator} returned {type(workflow).__name__}, "
                        "not an awsglue.blueprint.workflow.Workflow"
                    )
                # Still inside the sandbox: to_json runs library code and checks the entities.
                return workflow.to_json(name_suffix)
            except LayoutError:
                raise
            except (Exception, SystemExit) as exc:
                raise LayoutError(
                    f"Unknown error executing layout generator function {type(exc).__name__}: {exc}"
                ) from exc


def run_layout(
    blueprint: LoadedBlueprint,
    user_params: Mapping[str, Any],
    region: str,
    account_id: str,
    *,
    name_suffix: str | None = None,
) -> LayoutPlan:
    """Run the blueprint's layout generator and return the checked plan of Glue requests.

    ``user_params`` are the resolved parameters (see ``resolve_parameters``). ``name_suffix``
    defaults to a new random suffix. Raises :class:`LayoutError` with the run's ErrorMessage.
    """
    if not execution_enabled():
        raise LayoutError(DISABLED_MESSAGE)
    suffix = new_name_suffix() if name_suffix is None else name_suffix
    system_params = {"region": region, "accountId": account_id}
    with _RUN_LOCK:
        document = _generate(blueprint, user_params, system_params, suffix)
    return build_plan(document, suffix)
