#!/usr/bin/python3
"""Myelin's `bench cuba` against Brian2 cpp_standalone on the same machine, in the same sitting.

usage: cuba_vs_brian2.py [--brian2 DIR] [--sizes 4000,64000,256000] [--reps 3] [--out results.json]

DIR is the Brian2 peer folder (cuba.py and run_main.sh; default ../shared/bench/brian2 beside the
repository). For each size N (p = 80/N) the Brian2 standalone binary is built once (1 thread, no OpenMP),
then Brian2 and Myelin runs alternate, `reps` times each: Brian2's own loop timer (its last_run_info.txt)
against Myelin's sim_s (1 thread; and 2 threads for the speed-up). Prints a Markdown table of medians and
ratios. Brian2's loop timer is process CPU time when it runs without OpenMP (its README says so); Myelin's
sim_s is wall time; on an otherwise idle machine the two agree for one thread.
Needs: apt-get install -y python3-brian python3-brian-lib cython3.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..', '..'))
ap = argparse.ArgumentParser()
ap.add_argument('--brian2', default=os.path.join(repo, '..', 'shared', 'bench', 'brian2'))
ap.add_argument('--sizes', default='4000,64000,256000')
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--seed', type=int, default=12345)
ap.add_argument('--out', default=None)
args = ap.parse_args()
env = dict(os.environ, PYTHONWARNINGS='ignore')
build_root = os.path.join(tempfile.gettempdir(), 'brian2_cuba_builds')


def brian2_binary(n):
    d = os.path.join(build_root, 'N%d_k80_t0' % n)
    if not os.path.exists(os.path.join(d, 'main')):
        print('building Brian2 standalone for N=%d ...' % n, file=sys.stderr, flush=True)
        subprocess.run(['/usr/bin/python3', os.path.join(args.brian2, 'cuba.py'), '--mode', 'cpp', '--threads', '0',
                        '--N', str(n), '--k', '80', '--seed', str(args.seed), '--dir', d],
                       check=True, env=env, capture_output=True)
    return d


def brian2_loop(d):
    with tempfile.NamedTemporaryFile('r', suffix='.log') as log:
        subprocess.run(['sh', os.path.join(args.brian2, 'run_main.sh'), d, log.name], check=True)
        return float(open(log.name).read().split()[0])


def myelin(n, threads):
    out = subprocess.run([os.path.join(repo, 'myelin'), 'bench', 'cuba', '--neurons', str(n), '--threads',
                          str(threads), '--seed', str(args.seed), '--json'], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


rows = []
for n in [int(x) for x in args.sizes.split(',')]:
    d = brian2_binary(n)
    b, m1, m2, last = [], [], [], None
    for r in range(args.reps):
        b.append(brian2_loop(d))
        last = myelin(n, 1)
        m1.append(last['sim_s'])
        m2.append(myelin(n, 2)['sim_s'])
        print('N=%d rep %d: brian2 %.3f s, myelin 1t %.3f s, 2t %.3f s' % (n, r, b[-1], m1[-1], m2[-1]),
              file=sys.stderr, flush=True)
    row = dict(neurons=n, synapses=last['synapses'], spikes=last['spikes'], brian2_s=statistics.median(b),
               myelin_1t_s=statistics.median(m1), myelin_2t_s=statistics.median(m2),
               bytes_per_synapse=last['bytes_per_synapse'], brian2_runs=b, myelin_1t_runs=m1, myelin_2t_runs=m2)
    row['speedup_vs_brian2'] = row['brian2_s'] / row['myelin_1t_s']
    row['speedup_2t_vs_1t'] = row['myelin_1t_s'] / row['myelin_2t_s']
    rows.append(row)

print('| N | synapses | Brian2 1 thread (s) | Myelin 1 thread (s) | Brian2 / Myelin | Myelin 2 threads (s) | 1t / 2t | bytes/synapse |')
print('|---|---|---|---|---|---|---|---|')
for r in rows:
    print('| %d | %d | %.3f | %.3f | %.2fx | %.3f | %.2fx | %.2f |' % (
        r['neurons'], r['synapses'], r['brian2_s'], r['myelin_1t_s'], r['speedup_vs_brian2'], r['myelin_2t_s'],
        r['speedup_2t_vs_1t'], r['bytes_per_synapse']))
if args.out:
    with open(args.out, 'w') as f:
        json.dump(rows, f, indent=1)
