"""`cmake --install` puts a working package under the prefix: installed into a temporary prefix, it imports in
a fresh Python (without the build tree on the path) and computes."""

import os
import pathlib
import subprocess
import sys

import ldaformer


def test_installed_package_imports(tmp_path):
    prefix = tmp_path / "prefix"
    subprocess.run(
        [os.environ["CMAKE_COMMAND"], "--install", os.environ["LDAFORMER_BUILD_DIR"], "--prefix", str(prefix),
         "--component", "python"],
        check=True,
        capture_output=True,
    )
    site = prefix / os.environ["LDAFORMER_PYTHON_INSTALL_DIR"]
    assert sorted(p.name.split(".")[0] for p in (site / "ldaformer").iterdir()) == [
        "__init__", "__init__", "_ldaformer", "py"
    ]
    env = dict(os.environ, PYTHONPATH=str(site))
    script = (
        "import ldaformer; s = ldaformer.paper_scenario(); print(ldaformer.__file__); "
        "print(repr(ldaformer.exact_loss(s, *ldaformer.predictor(s, 'identity'))))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, loss = done.stdout.split()
    assert pathlib.Path(where).is_relative_to(site)
    s = ldaformer.paper_scenario()
    assert float(loss) == ldaformer.exact_loss(s, *ldaformer.predictor(s, "identity"))  # the build tree's module
