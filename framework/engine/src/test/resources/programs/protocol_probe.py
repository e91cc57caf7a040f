"""A program for the trial protocol's tests: what it does is task.json's params.mode."""
import json
import os
import subprocess
import sys
import time

import ablate_client

t = ablate_client.Trial.from_env()
mode = t.params["mode"]
steps = t.params["steps"]
print("hello from trial", t.id)
print("a line on stderr", file=sys.stderr)
records = t.dir / "scratch" / "program"

if mode == "hang":
    # a grandchild in the program's group, then never ends: the timeout must take both
    sleeper = subprocess.Popen(["sleep", "300"])
    (t.dir / "sleeper.pid").write_text(str(sleeper.pid))
    for s in range(10 ** 6):
        t.log(s, {"train/loss": 1.0})
        t.progress(s, 10 ** 6, "hanging")
        time.sleep(0.05)

for s in range(steps):
    t.log(s, {"train/loss": 1.0 / (s + 1), "train/x": t.params["x"]})
    t.progress(s + 1, steps, "step %d" % s)

if mode == "fail":
    raise ValueError("the program failed as asked")
if mode == "malformed":
    with open(records / "metrics.jsonl", "a") as f:
        f.write('{"step": 9, "value": 1.0}\n')
    time.sleep(60)
if mode == "nan":
    (records / "summary.json").write_text('{"result": "NaN"}\n')
    sys.exit(0)

(t.artifact_path("notes/hello.txt")).write_text("written by the program")
t.summary({
    "result": t.params["x"] * 2,
    "seed": t.seed,
    "env_seed": int(os.environ["ABLATE_SEED"]),
    "threads": t.threads,
    "omp_threads": int(os.environ["OMP_NUM_THREADS"]),
    "gpus": len(t.gpus),
    "tracking_vars": sum(1 for k in os.environ if k.startswith("MLFLOW_")),
})
