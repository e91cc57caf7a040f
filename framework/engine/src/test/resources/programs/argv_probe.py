"""Records what it was started with: its arguments, working directory and environment (artifacts/started.json)."""
import json
import os
import sys
import time

import ablate_client

t = ablate_client.Trial.from_env()
with open(t.artifact_path("started.json"), "w") as f:
    json.dump({"argv": sys.argv[1:], "cwd": os.getcwd(), "gpus": t.gpus,
               "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES")}, f)
time.sleep(float(t.params.get("sleep_s", 0)))
t.summary({"args": len(sys.argv) - 1})
