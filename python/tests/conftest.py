"""Shared fixtures: the command-line tool whose JSON the module's results are compared with.

ctest sets LDAFORMER_BINARY (build/<preset>/bin/ldaformer), LDAFORMER_SOURCE_DIR and PYTHONPATH (the package
in the build tree); see python/tests/CMakeLists.txt.
"""

import json
import os
import pathlib
import subprocess

import pytest


@pytest.fixture(scope="session")
def source_dir():
    return pathlib.Path(os.environ["LDAFORMER_SOURCE_DIR"])


@pytest.fixture(scope="session")
def cli():
    """Runs `ldaformer ARGS...` and returns its parsed --json output (or stdout with json_output=False)."""
    binary = os.environ["LDAFORMER_BINARY"]

    def run(*args, json_output=True, cwd=None):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)
        assert done.returncode in (0, 1), f"ldaformer {' '.join(map(str, args))}: exit {done.returncode}\n{done.stderr}"
        return json.loads(done.stdout) if json_output else done.stdout

    return run
