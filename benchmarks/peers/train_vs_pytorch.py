#!/usr/bin/python3
"""`myelin train mlp` against its PyTorch peer (fashion_mlp_torch.py), same model, data, batch and T, same machine.

usage: train_vs_pytorch.py [--reps 3] [--epochs 1] [--batch-size 128] [--time-steps 8] [--threads 2]
                           [--train-limit N] [--data DIR] [--out results.json]

Runs the two alternately (Myelin, PyTorch, Myelin, ...) `reps` times each and compares the training samples per
second each reports for its training loop (data loading, start-up and evaluation excluded), epoch by epoch; prints
the medians and their ratio as a Markdown table. Myelin runs from cli/target/myelin.jar (build it with ./myelin).
Needs: apt-get install -y python3-torch dataset-fashion-mnist.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..', '..'))
ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--epochs', type=int, default=1)
ap.add_argument('--batch-size', type=int, default=128)
ap.add_argument('--time-steps', type=int, default=8)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--train-limit', type=int, default=None)
ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
ap.add_argument('--out', default=None)
args = ap.parse_args()
common = ['--epochs', str(args.epochs), '--batch-size', str(args.batch_size), '--time-steps', str(args.time_steps),
          '--threads', str(args.threads), '--test-limit', '1000']
if args.train_limit:
    common += ['--train-limit', str(args.train_limit)]


def myelin():
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, 'm.jsonl')
        subprocess.run(['java', '-jar', os.path.join(repo, 'cli', 'target', 'myelin.jar'), 'train', 'mlp', '--data',
                        args.data, '--no-progress', '--metrics', log] + common, check=True, stdout=subprocess.DEVNULL)
        return [json.loads(line) for line in open(log)]


def pytorch():
    out = subprocess.run(['/usr/bin/python3', os.path.join(here, 'fashion_mlp_torch.py'), '--data', args.data,
                          '--json'] + common, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith('{')]


rows = {'myelin': [], 'pytorch': []}
for rep in range(args.reps):
    for name, fn in (('myelin', myelin), ('pytorch', pytorch)):
        epochs = fn()
        rows[name].append(epochs)
        print('%s run %d: %s samples/s' % (name, rep + 1, ', '.join('%.0f' % e['samples_per_s'] for e in epochs)),
              flush=True)
med = {k: statistics.median(e['samples_per_s'] for run in v for e in run) for k, v in rows.items()}
print()
print('| batch | T | Myelin samples/s | PyTorch samples/s | Myelin / PyTorch |')
print('|---|---|---|---|---|')
print('| %d | %d | %.0f | %.0f | %.2fx |' % (args.batch_size, args.time_steps, med['myelin'], med['pytorch'],
                                          med['myelin'] / med['pytorch']))
if args.out:
    json.dump({'args': vars(args), 'runs': rows, 'median_samples_per_s': med}, open(args.out, 'w'), indent=1)
