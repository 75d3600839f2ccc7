"""A moto this package cannot work with is refused at import, saying why, before anything is patched.

Each case runs in a fresh interpreter that first changes the installed moto into a stand-in (a name
removed, a signature changed, another version number), then imports ``moto_glue_workflows``.
"""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import moto
import pytest

from moto_glue_workflows import moto_requirements
from moto_glue_workflows.moto_requirements import (
    CLOUDFORMATION_INTERNALS,
    INTERNALS,
    STEP_FUNCTIONS_INTERNALS,
    SUPPORTED_MOTO,
    UNTESTED_MOTO_ENV,
)

ROOT = Path(__file__).resolve().parent.parent
SUPPORTED = ",".join(SUPPORTED_MOTO)

# After the (failed) import: is anything of moto's changed? Printed as JSON by the probe.
UNTOUCHED = """
import json
import moto.backend_index as backend_index
import moto.core.models as core_models
import moto.events.models as events_models
import moto.glue.models as glue_models
from moto.core.utils import utcnow
from moto.glue import urls as glue_urls
from moto.glue.responses import GlueResponse
from moto.moto_api._internal import urls as api_urls

print(json.dumps({
    "glue route is moto's": glue_urls.url_paths.get("{0}/$", GlueResponse.dispatch) == GlueResponse.dispatch,
    "no datazone patterns": not any(s == "datazone" for s, _ in backend_index.backend_url_patterns),
    "stubber untouched": "process_request" not in vars(core_models.botocore_stubber),
    "event targets untouched": not hasattr(events_models.Rule.send_to_targets, "_moto_glue_workflows"),
    "glue clock untouched": glue_models.utcnow is utcnow,
    "no control paths": not any("moto-api/static/clock" in path for path in api_urls.url_paths),
}))
"""


def _import_with(stand_in: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``stand_in`` (changing moto), then ``import moto_glue_workflows``, then the UNTOUCHED probe."""
    script = (
        textwrap.dedent(stand_in)
        + textwrap.dedent("""
        try:
            import moto_glue_workflows
        except ImportError as refused:
            print("REFUSED:", refused)
        else:
            print("IMPORTED")
        """)
        + UNTOUCHED
    )
    environment = {k: v for k, v in __import__("os").environ.items() if k != UNTESTED_MOTO_ENV}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT, env=environment
    )


def _outcome(done: subprocess.CompletedProcess[str]) -> tuple[str, dict[str, bool]]:
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    verdict = "\n".join(line for line in lines[:-1])
    return verdict, json.loads(lines[-1])


def test_the_supported_range_is_what_setup_cfg_declares() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    requires = config["options"]["install_requires"]
    declared = re.search(r"^\s*moto\[server\](\S+)\s*$", requires, re.M)
    assert declared is not None and declared.group(1) == SUPPORTED
    floor = ".".join(map(str, moto_requirements.FLOOR))
    assert SUPPORTED_MOTO[0] == f">={floor}" and SUPPORTED_MOTO[1] == "<" + ".".join(
        map(str, moto_requirements.CEILING)
    )


def test_the_installed_moto_has_every_internal_we_rely_on() -> None:
    assert moto_requirements.problems() == [], moto.__version__


def test_every_internal_is_documented() -> None:
    compat = (ROOT / "docs" / "moto-compat.md").read_text()
    internals = INTERNALS + STEP_FUNCTIONS_INTERNALS + CLOUDFORMATION_INTERNALS
    undocumented = [internal.label for internal in internals if f"`{internal.label}`" not in compat]
    assert undocumented == []


def test_a_moto_missing_a_name_is_refused_and_nothing_is_patched() -> None:
    verdict, state = _outcome(_import_with("import moto.core.responses as r\ndel r.ActionContext\n"))
    assert verdict.startswith("REFUSED: moto_glue_workflows cannot work with moto ")
    assert f"moto {moto.__version__} (supported: moto{SUPPORTED})" in verdict
    assert "moto.core.responses.ActionContext is missing" in verdict
    assert "Nothing was registered or patched" in verdict
    assert all(state.values()), state


def test_a_moto_whose_signature_changed_is_refused_naming_what_changed() -> None:
    stand_in = """
        import moto.logs.models as logs
        import moto.glue.models as glue
        def put_log_events(self, events):  # called by position with two: (stream, events)
            pass
        logs.LogGroup.put_log_events = put_log_events
        original = glue.GlueBackend.create_trigger
        def create_trigger(self, name, workflow, trigger_type, schedule, predicate, actions, **rest):  # by name
            pass
        glue.GlueBackend.create_trigger = create_trigger
    """
    verdict, state = _outcome(_import_with(stand_in))
    assert "moto.logs.models.LogGroup.put_log_events cannot be called with 3 positional arguments" in verdict
    assert "moto.glue.models.GlueBackend.create_trigger takes no parameter workflow_name" in verdict
    assert all(state.values()), state


def test_a_moto_whose_glue_route_moved_is_refused() -> None:
    stand_in = """
        from moto.glue import urls
        urls.url_paths["{0}/glue/$"] = urls.url_paths.pop("{0}/$")
    """
    verdict, _ = _outcome(_import_with(stand_in))
    assert "moto.glue.urls.url_paths has no entry {0}/$" in verdict


def test_a_moto_outside_the_range_is_refused_unless_the_user_opts_in() -> None:
    stand_in = "import moto\nmoto.__version__ = '5.1.22'\n"
    verdict, state = _outcome(_import_with(stand_in))
    assert verdict == (
        f"REFUSED: moto_glue_workflows supports moto{SUPPORTED}; moto 5.1.22 is installed. Install a supported "
        f"moto (pip install 'moto[server]{SUPPORTED}'), or set {UNTESTED_MOTO_ENV}=1 to try this one anyway."
    )
    assert all(state.values()), state

    verdict, state = _outcome(_import_with(stand_in, {UNTESTED_MOTO_ENV: "1"}))
    assert verdict == "IMPORTED"  # every internal is there: the user's choice is taken
    assert not state["glue route is moto's"] and not state["no datazone patterns"]


@pytest.mark.parametrize("version", ["5.3.0", "6.0.0", "4.2.14"])
def test_other_majors_and_minors_are_refused(version: str) -> None:
    verdict, _ = _outcome(_import_with(f"import moto\nmoto.__version__ = {version!r}\n"))
    assert verdict.startswith(f"REFUSED: moto_glue_workflows supports moto{SUPPORTED}; moto {version} is installed.")


def test_the_installed_moto_has_what_the_cloudformation_types_rely_on() -> None:
    assert moto_requirements.problems(CLOUDFORMATION_INTERNALS) == [], moto.__version__


def test_the_installed_moto_has_what_the_step_functions_fixes_rely_on() -> None:
    assert moto_requirements.problems(STEP_FUNCTIONS_INTERNALS) == [], moto.__version__


def test_a_step_functions_interpreter_lacking_an_internal_is_left_as_moto_ships_it() -> None:
    """The Glue integration fixes apply when moto first imports its interpreter. One whose Glue integration
    lacks what they rely on is not touched, and the user is told (everything else of ours works)."""
    probe = textwrap.dedent("""
        import importlib, warnings
        import moto_glue_workflows
        from moto_glue_workflows import _moto

        # A moto whose Glue integration has no _get_glue_client: removed as its module is executed.
        real_exec = importlib.machinery.SourceFileLoader.exec_module
        def exec_module(loader, module):
            real_exec(loader, module)
            if module.__name__ == _moto.SFN_GLUE:
                del module.StateTaskServiceGlue._get_glue_client
        importlib.machinery.SourceFileLoader.exec_module = exec_module
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            service = importlib.import_module(_moto.SFN_GLUE).StateTaskServiceGlue
        importlib.machinery.SourceFileLoader.exec_module = real_exec
        print("WARNED" if any("_get_glue_client" in str(w.message) for w in caught) else "SILENT")
        ours = {"_eval_integration_pattern", "_moto_glue_workflows"} & set(vars(service))
        print("PATCHED" if ours or hasattr(service, "_get_glue_client") else "UNTOUCHED")
        """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["WARNED", "UNTOUCHED"], done.stdout + done.stderr[-3000:]


def test_a_fix_that_cannot_apply_warns_and_leaves_the_module_as_it_ships() -> None:
    """The hooks run inside another package's import: one that raises must not break that import."""
    probe = textwrap.dedent("""
        import sys, warnings
        import moto_glue_workflows
        from moto_glue_workflows import _moto
        assert "colorsys" not in sys.modules
        def broken(module):
            raise OSError("no source")
        _moto.after_import("colorsys", broken)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            import colorsys
        print("IMPORTED" if colorsys.rgb_to_hsv(1, 0, 0)[2] == 1 else "BROKEN")
        print("WARNED" if any("could not adapt colorsys" in str(w.message) for w in caught) else "SILENT")
        """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["IMPORTED", "WARNED"], done.stdout + done.stderr[-3000:]
