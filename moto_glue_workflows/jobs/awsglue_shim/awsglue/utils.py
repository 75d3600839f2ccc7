"""``getResolvedOptions`` as AWS Glue's ``awsglue.utils`` provides it.

``getResolvedOptions(sys.argv, ["JOB_NAME", "table"])`` returns ``{"JOB_NAME": ..., "table": ...}``
from ``--JOB_NAME value`` / ``--table=value`` arguments; a missing option ends the script with
argparse's "the following arguments are required" error, as Glue's does. Glue's own arguments
(``--JOB_NAME``, ``--JOB_RUN_ID``, ``--WORKFLOW_NAME``, ...) are always accepted.
"""

from __future__ import annotations

import argparse

GLUE_ARGUMENTS = ("JOB_NAME", "JOB_ID", "JOB_RUN_ID", "WORKFLOW_NAME", "WORKFLOW_RUN_ID", "SECURITY_CONFIGURATION")


def getResolvedOptions(args: list[str], options: list[str]) -> dict[str, str]:
    parser = argparse.ArgumentParser(prog=args[0] if args else "script", add_help=False)
    for option in options:
        parser.add_argument(f"--{option}", required=True)
    for option in GLUE_ARGUMENTS:
        if option not in options:
            parser.add_argument(f"--{option}", required=False)
    known, _ = parser.parse_known_args(args[1:])
    return {option: getattr(known, option) for option in options}
