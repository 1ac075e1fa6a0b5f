"""The issue's must-show, in a fresh interpreter: `import ldaformer` from the build tree, the exact loss of the
identity predictor on the paper scenario equals `ldaformer loss --method exact --params identity --json` to
1e-12, and the T2 check's margin equals `ldaformer verify --claims T2 --json`'s."""

import json
import os
import subprocess
import sys

SCRIPT = r"""
import json, ldaformer
s = ldaformer.paper_scenario()
M, b = ldaformer.predictor(s, "identity")
t2 = {r.id: r.margin for r in ldaformer.check(s, "T2")}
print(json.dumps({"file": ldaformer.__file__, "loss": ldaformer.exact_loss(s, M, b), "t2": t2}))
"""


def test_fresh_python(cli):
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    build_package = os.path.realpath(env["PYTHONPATH"].split(os.pathsep)[0])
    assert os.path.realpath(out["file"]).startswith(build_package)  # the build tree's package
    loss = cli("loss", "--method", "exact", "--params", "identity", "--json")["loss"]
    assert abs(out["loss"] - loss) <= 1e-12
    report = cli("verify", "--claims", "T2", "--quiet", "--json")
    assert out["t2"] == {c["id"]: c["margin"] for c in report["claims"]}
    assert out["t2"]["T2"] > 0
