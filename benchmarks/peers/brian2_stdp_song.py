#!/usr/bin/python3
"""Brian2's examples/synapses/STDP.py (Song, Miller & Abbott 2000), run as the example is written, with a seed,
a duration and a JSON line out, to compare with `myelin run stdp-song --json`.

Usage: /usr/bin/python3 benchmarks/peers/brian2_stdp_song.py [--duration S] [--seed X] [--codegen numpy|cython]

The model is the example's unchanged: conductance input ge * (Ee - v), Euler at dt = 0.1 ms, additive STDP with
hard bounds [0, gmax]. The example leaves v at its default 0 mV at the start; so does this script. Prints one JSON
line: fraction of weights/gmax above 0.9 and below 0.1, the output rate over the last 10 s, the 20-bin histogram.
"""
import argparse
import json
import time

from brian2 import (ms, mV, Hz, second, PoissonGroup, NeuronGroup, Synapses, SpikeMonitor, prefs, seed as bseed,
                    run, defaultclock)

p = argparse.ArgumentParser()
p.add_argument("--duration", type=float, default=100.0)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--codegen", default="numpy")
a = p.parse_args()
prefs.codegen.target = a.codegen
bseed(a.seed)
defaultclock.dt = 0.1 * ms

N = 1000
taum = 10 * ms
taupre = 20 * ms
taupost = taupre
Ee = 0 * mV
vt = -54 * mV
vr = -60 * mV
El = -74 * mV
taue = 5 * ms
F = 15 * Hz
gmax = .01
dApre = .01
dApost = -dApre * taupre / taupost * 1.05
dApost *= gmax
dApre *= gmax

eqs_neurons = '''
dv/dt = (ge * (Ee-v) + El - v) / taum : volt
dge/dt = -ge / taue : 1
'''
poisson_input = PoissonGroup(N, rates=F)
neurons = NeuronGroup(1, eqs_neurons, threshold='v>vt', reset='v = vr', method='euler')
S = Synapses(poisson_input, neurons,
             '''w : 1
                dApre/dt = -Apre / taupre : 1 (event-driven)
                dApost/dt = -Apost / taupost : 1 (event-driven)''',
             on_pre='''ge += w
                    Apre += dApre
                    w = clip(w + Apost, 0, gmax)''',
             on_post='''Apost += dApost
                     w = clip(w + Apre, 0, gmax)''',
             )
S.connect()
S.w = 'rand() * gmax'
mon = SpikeMonitor(neurons)
t0 = time.time()
run(a.duration * second)
wall = time.time() - t0
w = S.w[:] / gmax
window = min(10.0, a.duration)
t = mon.t[:] / second
rate = float(((t >= a.duration - window)).sum()) / window
hist = [int(((w >= b / 20) & ((w < (b + 1) / 20) if b < 19 else (w <= 1))).sum()) for b in range(20)]
print(json.dumps({"peer": "brian2", "duration_s": a.duration, "seed": a.seed, "codegen": a.codegen,
                  "rate_hz": rate, "fraction_above_0_9": float((w > 0.9).mean()),
                  "fraction_below_0_1": float((w < 0.1).mean()), "histogram": hist, "wall_s": wall}))
