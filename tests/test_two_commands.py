"""A fresh machine needs nothing but `make run` and `make test` (and Python 3.11).

The README's set-up names only those two commands; `make install`, which both run, brings the Debian
packages (bin/system-packages); and a missing one stops the suite before its first test, never a skip.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "system-packages"
SETUP_HEADINGS = ["## 두 가지 명령", "## The two commands"]
ALLOWED_COMMANDS = {"make run", "make test"}
# Words that would ask a person to do something by hand before the two commands.
OTHER_COMMANDS = re.compile(
    r"\b(apt|apt-get|aptitude|sudo|su|pip3?|pipx|uv|brew|dnf|yum|apk|docker|podman|npm|npx|playwright|curl|wget|"
    r"export|source|venv|virtualenv|git|python3?(\.\d+)?\s+-m)\b|\bmake\s+(?!run\b|test\b)[\w-]+",
    re.IGNORECASE,
)


def setup_section(heading: str) -> str:
    lines = (ROOT / "README.md").read_text().splitlines()
    start = lines.index(heading)
    body = []
    for line in lines[start + 1 :]:
        if re.match(r"#{1,6} ", line):
            break
        body.append(line)
    return "\n".join(body)


@pytest.mark.parametrize("heading", SETUP_HEADINGS)
def test_the_readme_set_up_names_only_make_run_and_make_test_and_python_3_11(heading):
    section = setup_section(heading)
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1, f"{heading}: one code block with the two commands"
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    prose = re.sub(r"```.*?```", "", section, flags=re.DOTALL)
    assert set(re.findall(r"`([^`]+)`", prose)) <= ALLOWED_COMMANDS, f"{heading} names another command"
    named = [m.group(0) for m in OTHER_COMMANDS.finditer(prose)]
    assert not named, f"{heading} asks for more than the two commands: {named}"
    assert "Python 3.11" in prose


def test_both_commands_start_with_make_install():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test", "quick"):
        prerequisites = re.search(rf"^{target}:([^#\n]*)", makefile, re.MULTILINE).group(1).split()
        assert "install" in prerequisites, target
    install = re.search(r"^install:([^#\n]*)", makefile, re.MULTILINE).group(1).split()
    assert "system-packages" in install
    assert re.search(r"^system-packages:.*\n\t@?bin/system-packages$", makefile, re.MULTILINE)


def test_ci_runs_only_make_test():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "export CI=true", "make test"]


def test_system_packages_is_a_silent_fast_no_op_when_everything_is_there():
    started = time.monotonic()
    result = subprocess.run([SCRIPT], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert time.monotonic() - started < 2


def test_system_packages_check_lists_exactly_what_is_missing():
    listing = "# comment\nchromium  fonts-noto-cjk\n\nmaeul-portal-no-such-package  # trailing comment\n"
    result = subprocess.run([SCRIPT, "--check", "-"], input=listing, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (1, "maeul-portal-no-such-package\n")


def test_system_packages_as_another_user_stops_at_once_with_the_one_command_to_run():
    """Not root: no apt-get, the missing package named, and one command that installs it."""
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        # A copy any user can run: a fresh clone may sit in a home only its owner can enter.
        os.chmod(folder, 0o755)  # noqa: S103 (nobody must enter it; it holds no secret)
        (Path(folder) / "bin").mkdir(mode=0o755)
        script = Path(folder) / "bin" / "system-packages"
        shutil.copy(SCRIPT, script)
        command = [str(script), "-"]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        started = time.monotonic()
        result = subprocess.run(
            command, input="chromium\nmaeul-portal-no-such-package\n", capture_output=True, text=True, check=False
        )
    assert time.monotonic() - started < 2, "no apt-get as a non-root user"
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "Missing Debian packages: maeul-portal-no-such-package"
    assert result.stderr.splitlines()[-1].strip() in {f"sudo {script}", f"su -c {script}"}
    assert "installing" not in result.stderr


def test_the_suite_stops_before_its_first_test_naming_a_missing_system_need():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "portal/tests/test_settings.py"],
        cwd=ROOT,
        env={**os.environ, "CHROMIUM_PATH": "/nonexistent/chromium"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith("ERROR: Missing: Chromium at /nonexistent/chromium")
