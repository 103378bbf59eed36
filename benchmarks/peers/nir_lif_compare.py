#!/usr/bin/python3
"""The NIR paper's single-LIF comparison with Myelin's traces added.

usage: nir_lif_compare.py --nir-data DIR --myelin TRACE.csv [--myelin TRACE.csv ...] [--plot FILE.png]

DIR is the NIR data folder (lif/lif_<platform>.csv: input, membrane voltage, spike per step of 0.1 ms; lif_exact.csv
is the exact solution). Each Myelin trace is the output of `myelin nir run lif/lif_norse.nir --input
lif/lif_exact.csv --dt 0.1 --mode M --out TRACE.csv`. Prints a Markdown table against lif_exact.csv: spike steps,
how many equal the exact ones, the voltage scale of the platform (least-squares factor onto the exact voltage) and
the RMS and largest voltage error after that scaling, in units of the threshold (0.1). With --plot, draws every
trace (scaled onto the exact voltage) over the whole run and around the first two spikes (python3-matplotlib).
"""
import argparse
import csv
import glob
import math
import os

ap = argparse.ArgumentParser()
ap.add_argument('--nir-data', required=True)
ap.add_argument('--myelin', action='append', default=[])
ap.add_argument('--plot')
args = ap.parse_args()


def platform(path):
    v, s = [], []
    with open(path) as f:
        for row in csv.reader(f):
            v.append(float(row[1]))
            s.append(float(row[2]))
    return v, s


def myelin(path):
    v, s = [], []
    with open(path) as f:
        r = csv.DictReader(f)
        for row in r:
            v.append(float(row['v0']))
            s.append(float(row['spike0']))
    return v, s


exact_v, exact_s = platform(os.path.join(args.nir_data, 'lif', 'lif_exact.csv'))
exact_steps = [k for k, x in enumerate(exact_s) if x > 0.5]
rows = []
for path in sorted(glob.glob(os.path.join(args.nir_data, 'lif', 'lif_*.csv'))):
    name = os.path.basename(path)[4:-4]
    if name != 'exact':
        rows.append((name, *platform(path)))
for path in args.myelin:
    rows.append(('Myelin ' + os.path.basename(path).rsplit('.', 1)[0].split('_')[-1], *myelin(path)))
print('| platform | spike steps | equal to exact | voltage scale | RMS error / threshold | largest error / threshold |')
print('|---|---|---|---|---|---|')
print('| exact (lif_exact.csv) | %s | - | 1 | 0 | 0 |' % ' '.join(map(str, exact_steps)))
for name, v, s in rows:
    steps = [k for k, x in enumerate(s) if x > 0.5]
    same = len(set(steps) & set(exact_steps))
    num = sum(a * b for a, b in zip(v, exact_v))
    den = sum(a * a for a in v)
    scale = num / den if den > 0 else float('nan')
    err = [scale * a - b for a, b in zip(v, exact_v)]
    rms = math.sqrt(sum(e * e for e in err) / len(err)) / 0.1
    worst = max(abs(e) for e in err) / 0.1
    print('| %s | %s | %d of %d | %.4g | %.2e | %.2e |' % (name, ' '.join(map(str, steps)), same, len(exact_steps),
                                                         1 / scale if scale else float('nan'), rms, worst))

if args.plot:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 1, figsize=(11, 7.5))
    t = [0.1 * k for k in range(len(exact_v))]
    for ax, (lo, hi) in zip(axes, [(0, len(exact_v)), (430, 530)]):
        for name, v, s in rows:
            num = sum(a * b for a, b in zip(v, exact_v))
            den = sum(a * a for a in v)
            scale = num / den if den > 0 else 1.0
            mine = name.startswith('Myelin')
            ax.plot(t[lo:hi], [scale * x for x in v[lo:hi]], lw=1.8 if mine else 0.9,
                    ls='--' if 'precise' in name else '-', alpha=1.0 if mine else 0.55,
                    label=name, zorder=3 if mine else 2)
        ax.plot(t[lo:hi], exact_v[lo:hi], color='black', lw=1.2, label='exact', zorder=4)
        ax.axhline(0.1, color='grey', lw=0.6, ls=':')
        ax.set_xlabel('time (ms)')
        ax.set_ylabel('v (scaled onto the exact solution)')
    axes[0].set_title('NIR paper single LIF (lif_norse.nir): every platform, the exact solution and Myelin')
    axes[1].set_title('around the first two spikes (steps 430-530)')
    axes[0].legend(ncol=5, fontsize=7, loc='upper left')
    fig.tight_layout()
    fig.savefig(args.plot, dpi=90)
    print('plot written to', args.plot)
