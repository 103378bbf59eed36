#!/usr/bin/python3
"""The PyTorch peer of `myelin train mlp`: the same spiking MLP, trained the same way, on the same CPU.

usage: fashion_mlp_torch.py [--data DIR] [--epochs 5] [--batch-size 128] [--time-steps 8] [--hidden 800]
                            [--lr 1e-3] [--threads 2] [--train-limit N] [--test-limit N] [--json]

Model (Myelin's defaults, written as a PyTorch user would): direct encoding (the image is a constant input
current, so the first linear layer is applied once per sample, not once per step), fc1 784->800 -> snnTorch
Leaky (beta 0.9, threshold 1, reset by subtraction of the previous step's spike, reset detached, ATan(2)
surrogate) -> fc2 800->10 -> leaky integrator without reset; class scores = membrane averaged over the T
steps; cross-entropy; Adam (lr 1e-3) with cosine annealing to 0 over every optimiser step; BPTT over T = 8.
Prints one line per epoch with training samples per second (training loop only, evaluation excluded) and the
test accuracy; with --json, one JSON object per epoch.
Needs: apt-get install -y python3-torch dataset-fashion-mnist (Debian's PyTorch 1.13).
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
ap.add_argument('--epochs', type=int, default=5)
ap.add_argument('--batch-size', type=int, default=128)
ap.add_argument('--time-steps', type=int, default=8)
ap.add_argument('--hidden', type=int, default=800)
ap.add_argument('--lr', type=float, default=1e-3)
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--train-limit', type=int, default=None)
ap.add_argument('--test-limit', type=int, default=None)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--json', action='store_true')
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(stem, offset, shape):
    for name in (stem, stem + '.gz'):
        p = os.path.join(args.data, name)
        if os.path.exists(p):
            raw = gzip.open(p).read() if name.endswith('.gz') else open(p, 'rb').read()
            return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape)
    raise SystemExit('missing %s in %s' % (stem, args.data))


x_train = torch.from_numpy(idx('train-images-idx3-ubyte', 16, (-1, 784)).astype(np.float32) / 255)
y_train = torch.from_numpy(idx('train-labels-idx1-ubyte', 8, (-1,)).astype(np.int64))
x_test = torch.from_numpy(idx('t10k-images-idx3-ubyte', 16, (-1, 784)).astype(np.float32) / 255)
y_test = torch.from_numpy(idx('t10k-labels-idx1-ubyte', 8, (-1,)).astype(np.int64))
if args.train_limit:
    x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
if args.test_limit:
    x_test, y_test = x_test[:args.test_limit], y_test[:args.test_limit]


class ATan(torch.autograd.Function):
    """Heaviside forward (x > 0), ATan(alpha=2) surrogate backward, as snnTorch's default."""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).float()

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        alpha = 2.0
        return g * (alpha / 2 / (1 + (math.pi / 2 * alpha * x) ** 2))


spike = ATan.apply
T, B, beta, theta = args.time_steps, args.batch_size, 0.9, 1.0
fc1 = torch.nn.Linear(784, args.hidden)
fc2 = torch.nn.Linear(args.hidden, 10)
params = list(fc1.parameters()) + list(fc2.parameters())
opt = torch.optim.Adam(params, lr=args.lr)
steps_per_epoch = (len(x_train) + B - 1) // B
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * steps_per_epoch)


def forward(x):
    cur1 = fc1(x)
    m1 = torch.zeros(x.shape[0], args.hidden)
    m2 = torch.zeros(x.shape[0], 10)
    out = 0
    for _ in range(T):
        reset = (m1 > theta).float().detach()
        m1 = beta * m1 + cur1 - reset * theta
        s1 = spike(m1 - theta)
        m2 = beta * m2 + fc2(s1)
        out = out + m2
    return out / T


for epoch in range(args.epochs):
    perm = torch.randperm(len(x_train))
    loss_sum, correct = 0.0, 0
    t0 = time.perf_counter()
    for i in range(0, len(x_train), B):
        idx_b = perm[i:i + B]
        logits = forward(x_train[idx_b])
        loss = torch.nn.functional.cross_entropy(logits, y_train[idx_b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        loss_sum += loss.item() * len(idx_b)
        correct += (logits.argmax(1) == y_train[idx_b]).sum().item()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        test_correct = sum((forward(x_test[j:j + 1000]).argmax(1) == y_test[j:j + 1000]).sum().item()
                           for j in range(0, len(x_test), 1000))
    row = {'epoch': epoch + 1, 'train_loss': loss_sum / len(x_train), 'train_accuracy': correct / len(x_train),
           'test_accuracy': test_correct / len(x_test), 'samples_per_s': len(x_train) / seconds, 'seconds': seconds}
    if args.json:
        print(json.dumps(row), flush=True)
    else:
        print('epoch %d: train loss %.4f, train accuracy %.2f %%, test accuracy %.2f %%, %.0f samples/s (%.1f s)'
              % (row['epoch'], row['train_loss'], 100 * row['train_accuracy'], 100 * row['test_accuracy'],
                 row['samples_per_s'], seconds), flush=True)
