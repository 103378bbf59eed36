#!/usr/bin/python3
"""Per-seed statistics of Brian2's CUBA network (N = 4000), for the tolerance of Myelin's CUBA test.

usage: brian2_cuba_seeds.py FIRST_SEED END_SEED [--cuba PATH_TO/cuba.py]
Prints "seed mean_rate_hz mean_isi_cv" per seed, then the mean and sd. The ISI CV is the mean, over neurons
with at least 5 spikes, of std(ISI)/mean(ISI) (numpy std, ddof 0), as in cuba_reference.json.
Needs Debian's python3-brian (apt-get install -y python3-brian python3-brian-lib cython3).
"""
import argparse
import os
import subprocess
import tempfile

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('first', type=int)
ap.add_argument('end', type=int)
ap.add_argument('--cuba', default=os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'bench',
                                               'brian2', 'cuba.py'))
args = ap.parse_args()
rows = []
with tempfile.TemporaryDirectory() as tmp:
    for seed in range(args.first, args.end):
        npz = os.path.join(tmp, 's%d.npz' % seed)
        subprocess.run(['/usr/bin/python3', args.cuba, '--mode', 'runtime', '--N', '4000', '--seed', str(seed),
                        '--save-spikes', npz], check=True, capture_output=True,
                       env=dict(os.environ, PYTHONWARNINGS='ignore'))
        d = np.load(npz)
        i, t = d['i'].astype(int), d['t']
        cvs = []
        for n in range(4000):
            x = np.sort(t[i == n])
            if x.size >= 5:
                isi = np.diff(x)
                cvs.append(isi.std() / isi.mean())
        rows.append((seed, i.size / 4000.0, float(np.mean(cvs))))
        print(seed, rows[-1][1], rows[-1][2], flush=True)
r = np.array(rows)
print('mean rate', r[:, 1].mean(), 'sd', r[:, 1].std(ddof=1), 'mean cv', r[:, 2].mean(), 'sd', r[:, 2].std(ddof=1))
