"""The Makefile's targets as a newcomer meets them: help lists them all, lab runs as root and takes flags."""

import os
import re
import subprocess

from rare_earths.common import paths


def _make(*arguments: str) -> str:
    result = subprocess.run(
        ["make", "-n", *arguments], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_lab_opens_at_the_repository_root_with_the_root_flag_as_root_and_extra_flags():
    command = _make("lab", "LAB_ARGS=--no-browser --port 8899").strip().splitlines()[-1]
    assert "jupyter lab --ServerApp.root_dir=. " in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert command.endswith("--no-browser --port 8899")


def test_help_lists_every_target():
    text = (paths.PROJECT_ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M)) - {"help"}
    listed = set(
        re.findall(
            r"make ([a-z-]+)",
            subprocess.run(["make", "help"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True).stdout,
        )
    )
    assert targets == listed
