"""Fits y = 3x - 1 (plus noise) by minibatch SGD: a stdlib-only program for `task: command`.

Its hyperparameters come as arguments (the experiment file's {placeholders}); its seed, folder
and reporting come from the trial protocol (ablate_client, which Ablate puts on PYTHONPATH).
With --trial-dir it runs on its own against a prepared trial folder instead.
"""
import argparse
import json
import random

import ablate_client

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, required=True)
parser.add_argument("--steps", type=int, required=True)
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--trial-dir", help="run on its own against this prepared trial folder (its task.json)")
args = parser.parse_args()

trial = ablate_client.Trial.from_dir(args.trial_dir) if args.trial_dir else ablate_client.Trial.from_env()
noise = trial.params["noise"]
rng = random.Random(trial.seed)
data = [(x, 3.0 * x - 1.0 + rng.gauss(0.0, noise)) for x in (rng.uniform(-1.0, 1.0) for _ in range(2000))]
train, test = data[:1600], data[1600:]

w, b = 0.0, 0.0
for step in range(args.steps):
    batch = [train[rng.randrange(len(train))] for _ in range(args.batch)]
    errors = [(w * x + b - y, x) for x, y in batch]
    loss = sum(e * e for e, _ in errors) / len(errors)
    w -= args.lr * 2.0 * sum(e * x for e, x in errors) / len(errors)
    b -= args.lr * 2.0 * sum(e for e, _ in errors) / len(errors)
    if step % 10 == 0 or step == args.steps - 1:
        trial.log(step, {"train/loss": loss})
    trial.progress(step + 1, args.steps)

mse = sum((w * x + b - y) ** 2 for x, y in test) / len(test)
with open(trial.artifact_path("model.json"), "w") as f:
    json.dump({"w": w, "b": b}, f)
trial.summary({"eval/mse": mse, "w_error": abs(w - 3.0), "b_error": abs(b + 1.0)})
print("w=%.4f b=%.4f test mse=%.5f" % (w, b, mse))
