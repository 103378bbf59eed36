#!/usr/bin/python3
"""Clock-driven against event-driven and automatic modes, in the same sitting, alternating.

usage: engine_modes.py [--reps 3] [--sparse-neurons 1000000] [--active-fraction 0.00005] [--cuba-reps 5]
                       [--cuba-duration 1.0] [--skip-sparse] [--skip-cuba] [--out results.json]

Runs `bench sparse` (1,000,000 neurons, 100 synapses each) with --mode clock, event and auto, and `bench cuba`
(4,000 neurons) with --mode clock and auto, each mode once per round, `reps` rounds; prints medians of sim_s,
the ratios to the clock mode, and whether every run of a benchmark gave the same spike checksum. Uses the jar
that ./myelin builds (cli/target/myelin.jar).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..'))
jar = os.path.join(repo, 'cli', 'target', 'myelin.jar')
ap = argparse.ArgumentParser()
ap.add_argument('--reps', type=int, default=3)
ap.add_argument('--sparse-neurons', type=int, default=1000000)
ap.add_argument('--active-fraction', type=float, default=0.00005)
ap.add_argument('--cuba-reps', type=int, default=5)
ap.add_argument('--cuba-neurons', type=int, default=4000)
ap.add_argument('--cuba-duration', type=float, default=1.0)
ap.add_argument('--skip-sparse', action='store_true')
ap.add_argument('--skip-cuba', action='store_true')
ap.add_argument('--out', default=None)
args = ap.parse_args()
if not os.path.exists(jar):
    sys.exit('build the jar first: ./myelin --help (or mvn -DskipTests install)')


def run(cmd):
    out = subprocess.run(['java', '-jar', jar] + cmd + ['--json'], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def table(name, cmd, modes, reps):
    runs = {m: [] for m in modes}
    for r in range(reps):
        for m in modes:
            j = run(cmd + ['--mode', m])
            runs[m].append(j)
            print('%s %s round %d: sim_s %.3f, spikes %d, checksum %s, %s' % (
                name, m, r + 1, j['sim_s'], j['spikes'], j['spike_checksum'], j['device']), file=sys.stderr, flush=True)
    clock = statistics.median(j['sim_s'] for j in runs['clock'])
    print('\n%s: %s' % (name, ' '.join(cmd)))
    print('| mode | sim_s median (s) | runs (s) | clock / mode | spikes | same checksum as clock |')
    print('|---|---|---|---|---|---|')
    for m in modes:
        med = statistics.median(j['sim_s'] for j in runs[m])
        same = all(j['spike_checksum'] == runs['clock'][0]['spike_checksum'] for j in runs[m])
        print('| %s | %.3f | %s | %.2fx | %d | %s |' % (m, med, ' '.join('%.3f' % j['sim_s'] for j in runs[m]),
                                                       clock / med, runs[m][0]['spikes'], 'yes' if same else 'no'))
    return runs


results = {}
if not args.skip_sparse:
    results['sparse'] = table('sparse', ['bench', 'sparse', '--neurons', str(args.sparse_neurons),
                                         '--active-fraction', str(args.active_fraction)],
                              ['clock', 'event', 'auto'], args.reps)
if not args.skip_cuba:
    results['cuba'] = table('cuba', ['bench', 'cuba', '--neurons', str(args.cuba_neurons), '--duration',
                                     str(args.cuba_duration)], ['clock', 'auto'], args.cuba_reps)
if args.out:
    with open(args.out, 'w') as f:
        json.dump(results, f, indent=1)
