"""Logs 20 points, then waits (up to 60 s) for the file 'go' in its trial folder before its summary: a test
can look at MLflow while the program still runs."""
import os
import time

import ablate_client

t = ablate_client.Trial.from_env()
for s in range(20):
    t.log(s, {"train/loss": 1.0 / (s + 1)})
deadline = time.time() + 60
while not (t.dir / "go").exists() and time.time() < deadline:
    time.sleep(0.05)
t.summary({"eval/score": 0.75})
