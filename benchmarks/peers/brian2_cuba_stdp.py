#!/usr/bin/python3
"""CUBA (Brian2's examples/CUBA.py, scaled: p = 80/N) with plastic exc->exc synapses, in Brian2 cpp_standalone:
the peer of `myelin bench cuba --stdp`. Self-contained (the network is written here); needs
apt-get install -y python3-brian python3-brian-lib cython3, and runs with /usr/bin/python3.

usage:
  brian2_cuba_stdp.py [--N 64000] [--duration 1] [--seed 12345] [--static] [--traces synapse|neuron]
                      [--threads 0] [--dir DIR] [--reps 1]
      builds the standalone binary (under /tmp by default), runs it, then re-runs it `reps - 1` times more;
      prints one JSON line: loop_s (Brian2's own loop timer, results/last_run_info.txt, of every run),
      process_s (wall time of each ./main process: connect + loop + writing results), spikes, mean_rate_hz,
      mean_exc_exc_weight_mv (the mean exc->exc weight at the end), synapses, brian2 version.
  brian2_cuba_stdp.py --compare [--N 64000] [--reps 3] [--traces synapse,neuron] [--jar cli/target/myelin.jar]
                      [--out results.json]
      builds the static and plastic binaries once, then alternates, `reps` times: Brian2 static, Brian2 plastic
      (each trace variant), Myelin static, Myelin plastic (`java -jar JAR bench cuba --neurons N --threads 1
      [--stdp] --json`), and prints a Markdown table of medians and ratios.

The network is cuba.py's: dv/dt = (ge + gi - (v - El))/taum (unless refractory), dge/dt = -ge/taue,
dgi/dt = -gi/taui, exact integration at dt = 0.1 ms, threshold v > Vt, reset v = Vr, refractory 5 ms, v(0) uniform
in [Vr, Vt), 80 % excitatory, every ordered pair (self-connections included) with probability p = 80/N,
we = 1.62 mV, wi = -9 mV, no delay (Brian2's delay 0 is Myelin's 1 step: the input acts from the next state update).

Plasticity as Myelin's --stdp (BenchmarkRun.stdpExcitatory, PairStdp.additive; docs/plasticity.md): on the exc->exc
synapses only, additive all-to-all pair STDP, tau+ = tau- = 20 ms, A+ = 0.01 we, A- = 0.0105 we, w clipped to
[0, 2 we], every w starting at we. Myelin's pairing at equal steps: a post spike potentiates with the pre trace of
strictly earlier pre spikes, a pre spike depresses with the post trace of strictly earlier post spikes,
potentiation first, and a pre spike delivers its weight after its depression. Brian2 runs the `pre` pathway before
the `post` one by default (a pre/post pair in one step then potentiates); here the post pathway is moved first
(Cee.post.order = -2), so it sees the pre trace before this step's pre spike, and on_pre discounts this step's post
spike from the post trace (`Apost - dApost * int(t - lastspike_post < dt/2)`), then delivers the new weight.
--traces synapse (default): the traces per synapse, event-driven, as Brian2's examples/synapses/STDP.py.
--traces neuron: the same all-to-all traces held once per neuron (exact decay in the neuron update, bumped in the
reset, which runs after the synapses in Brian2's schedule, so the synapses read strictly earlier spikes): the same
rule with less work per event, how Myelin holds them.
--static: no plasticity (the CUBA network as cuba.py has it).

Brian2's loop timer is process CPU time without OpenMP (--threads 0) and wall time with it; Myelin's sim_s is wall
time. Builds go under the system temp folder.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TMP = tempfile.gettempdir()
os.environ.setdefault('MPLCONFIGDIR', os.path.join(TMP, 'brian2_mplconfig'))
here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..', '..'))

ap = argparse.ArgumentParser(description='CUBA with plastic exc->exc synapses in Brian2 cpp_standalone')
ap.add_argument('--N', type=int, default=64000)
ap.add_argument('--duration', type=float, default=1.0, help='seconds of biological time')
ap.add_argument('--seed', type=int, default=12345)
ap.add_argument('--static', action='store_true', help='no plasticity')
ap.add_argument('--traces', default=None, help='synapse or neuron (--compare: a comma list; default synapse)')
ap.add_argument('--threads', type=int, default=0, help='devices.cpp_standalone.openmp_threads (0 = no OpenMP)')
ap.add_argument('--dir', default=None, help='build directory')
ap.add_argument('--reps', type=int, default=None, help='runs of the binary (default 1; --compare: 3)')
ap.add_argument('--compare', action='store_true', help='alternate Brian2 and Myelin, static and plastic')
ap.add_argument('--jar', default=os.path.join(repo, 'cli', 'target', 'myelin.jar'))
ap.add_argument('--out', default=None, help='--compare: write every run as JSON here')
args = ap.parse_args()


def run_binary(d):
    """Runs a built binary once from its folder; returns (Brian2's loop seconds, process wall seconds)."""
    t0 = time.time()
    subprocess.run(['./main'], cwd=d, check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - t0
    with open(os.path.join(d, 'results', 'last_run_info.txt')) as f:
        return float(f.read().split()[0]), wall


def simulate():
    traces = args.traces or 'synapse'
    if traces not in ('synapse', 'neuron'):
        sys.exit('--traces must be synapse or neuron, was ' + traces)
    import numpy as np
    from brian2 import (prefs, set_device, device, seed, ms, mV, second, NeuronGroup, Synapses, SpikeMonitor, run,
                        defaultclock)
    import brian2
    if args.dir is None:
        args.dir = os.path.join(TMP, 'brian2_cuba_stdp_builds', 'N%d_%s_t%d_seed%d' % (
            args.N, 'static' if args.static else 'stdp_' + traces, args.threads, args.seed))
    set_device('cpp_standalone', directory=args.dir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = args.threads
    seed(args.seed)
    defaultclock.dt = 0.1 * ms

    N = args.N
    NE = int(round(0.8 * N))
    p = min(1.0, 80.0 / N)
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    we = (60 * 0.27 / 10) * mV
    wi = (-20 * 4.5 / 10) * mV
    taupre = taupost = 20 * ms
    dApre = 0.01 * we
    dApost = -0.0105 * we
    wmax = 2 * we
    plastic = not args.static
    neuron_traces = plastic and traces == 'neuron'

    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    reset = 'v = Vr'
    if neuron_traces:
        eqs += '''
        dApre/dt = -Apre/taupre : volt
        dApost/dt = -Apost/taupost : volt
        '''
        reset += '\nApre += dApre\nApost += dApost'
    P = NeuronGroup(N, eqs, threshold='v>Vt', reset=reset, refractory=5 * ms, method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    if not plastic:
        Cee = Synapses(P[:NE], P[:NE], on_pre='ge += we')
    elif neuron_traces:
        Cee = Synapses(P[:NE], P[:NE], 'w : volt',
                       on_pre='''w = clip(w + Apost_post, 0*mV, wmax)
                                 ge += w''',
                       on_post='w = clip(w + Apre_pre, 0*mV, wmax)')
    else:
        Cee = Synapses(P[:NE], P[:NE],
                       '''w : volt
                          dApre/dt = -Apre / taupre : volt (event-driven)
                          dApost/dt = -Apost / taupost : volt (event-driven)''',
                       on_pre='''w = clip(w + Apost - dApost * int(t - lastspike_post < 0.5*dt), 0*mV, wmax)
                                 ge += w
                                 Apre += dApre''',
                       on_post='''w = clip(w + Apre, 0*mV, wmax)
                                  Apost += dApost''')
    if plastic:
        Cee.post.order = -2  # the post pathway before every pre pathway (pre is -1)
    Cei = Synapses(P[:NE], P[NE:], on_pre='ge += we')
    Ci = Synapses(P[NE:], P, on_pre='gi += wi')
    Cee.connect(p=p)
    Cei.connect(p=p)
    Ci.connect(p=p)
    if plastic:
        Cee.w = 'we'
    s_mon = SpikeMonitor(P)
    run(args.duration * second)
    t0 = time.time()
    device.build(directory=args.dir, compile=True, run=True, debug=False)
    build_s = time.time() - t0
    loops = [float(device._last_run_time)]
    walls = [float(device.timers.get('run_binary') or float('nan'))]
    spikes = int(s_mon.num_spikes)
    wee = float(np.mean(Cee.w[:] / mV)) if plastic else float(we / mV)
    n_syn = int(len(Cee) + len(Cei) + len(Ci))
    reps = args.reps or 1
    for _ in range(reps - 1):
        lo, wa = run_binary(args.dir)
        loops.append(lo)
        walls.append(wa)
    res = dict(peer='brian2', network='cuba-stdp' if plastic else 'cuba', traces=traces if plastic else None,
               threads=args.threads, N=N, NE=NE, p=p, seed=args.seed, duration_s=args.duration,
               synapses=n_syn, exc_exc_synapses=int(len(Cee)), spikes=spikes,
               mean_rate_hz=spikes / (N * args.duration), mean_exc_exc_weight_mv=wee,
               loop_s=statistics.median(loops), loop_runs=loops, process_runs=walls, build_s=build_s,
               dir=os.path.abspath(args.dir), brian2=brian2.__version__, numpy=np.__version__)
    print(json.dumps(res), flush=True)


def myelin(stdp):
    cmd = ['java', '-jar', args.jar, 'bench', 'cuba', '--neurons', str(args.N), '--threads', '1', '--seed',
           str(args.seed), '--duration', repr(args.duration), '--json'] + (['--stdp'] if stdp else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare():
    env = dict(os.environ, PYTHONWARNINGS='ignore')
    reps = args.reps or 3
    variants = [('static', None)] + [('stdp', t) for t in (args.traces or 'synapse').split(',')]
    builds = {}
    for kind, t in variants:
        cmd = ['/usr/bin/python3', os.path.abspath(__file__), '--N', str(args.N), '--duration', repr(args.duration),
               '--seed', str(args.seed), '--threads', '0']
        cmd += ['--static'] if kind == 'static' else ['--traces', t]
        print('building Brian2 %s%s for N=%d ...' % (kind, '' if t is None else ' (' + t + ' traces)', args.N),
              file=sys.stderr, flush=True)
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        builds[(kind, t)] = json.loads(out.strip().splitlines()[-1])
    runs = {k: [] for k in builds}
    my = {False: [], True: []}
    for r in range(reps):
        for k, b in builds.items():
            runs[k].append(run_binary(b['dir']))
        for stdp in (False, True):
            my[stdp].append(myelin(stdp))
        print('rep %d: ' % r + ', '.join('brian2 %s%s %.3f s' % (k[0], '' if k[1] is None else '/' + k[1],
                                                              runs[k][-1][0]) for k in builds)
              + ', myelin static %.3f s, stdp %.3f s' % (my[False][-1]['sim_s'], my[True][-1]['sim_s'])
              + '   (load %.2f)' % os.getloadavg()[0], file=sys.stderr, flush=True)
    med = statistics.median
    b_static = med([x[0] for x in runs[('static', None)]])
    m_static = med([x['sim_s'] for x in my[False]])
    m_stdp = med([x['sim_s'] for x in my[True]])
    m_last = my[True][-1]
    import brian2
    print('Brian2 %s cpp_standalone 1 thread (no OpenMP), Myelin 1 thread; N = %d, %g s, %d alternating reps, '
          'medians; load average %s' % (brian2.__version__, args.N, args.duration, reps,
                                        ', '.join('%.2f' % x for x in os.getloadavg())))
    print()
    print('| run | loop time, median (s) | runs (s) | spikes | rate (Hz) | mean exc->exc w at end (mV) |')
    print('|---|---|---|---|---|---|')
    for k, b in builds.items():
        name = 'Brian2 static' if k[0] == 'static' else 'Brian2 STDP, %s traces' % k[1]
        print('| %s | %.3f | %s | %d | %.3f | %.4f |' % (name, med([x[0] for x in runs[k]]),
              ', '.join('%.2f' % x[0] for x in runs[k]), b['spikes'], b['mean_rate_hz'], b['mean_exc_exc_weight_mv']))
    for stdp in (False, True):
        last = my[stdp][-1]
        print('| Myelin %s | %.3f | %s | %d | %.3f | %s |' % (
            'STDP' if stdp else 'static', med([x['sim_s'] for x in my[stdp]]),
            ', '.join('%.2f' % x['sim_s'] for x in my[stdp]), last['spikes'], last['mean_rate_hz'],
            '%.4f' % last['mean_plastic_weight_mv'] if stdp else '%.4f' % (60 * 0.27 / 10)))
    print()
    print('| ratio | value |')
    print('|---|---|')
    print('| Myelin STDP / Myelin static | %.2fx |' % (m_stdp / m_static))
    for k in builds:
        if k[0] == 'stdp':
            b_stdp = med([x[0] for x in runs[k]])
            print('| Brian2 STDP (%s traces) / Brian2 static | %.2fx |' % (k[1], b_stdp / b_static))
            print('| Brian2 STDP (%s traces) / Myelin STDP | %.2fx |' % (k[1], b_stdp / m_stdp))
    print('| Brian2 static / Myelin static | %.2fx |' % (b_static / m_static))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(builds={'%s/%s' % k: v for k, v in builds.items()},
                           brian2_runs={'%s/%s' % k: v for k, v in runs.items()},
                           myelin_static=my[False], myelin_stdp=my[True], load=os.getloadavg()), f, indent=1)


if args.compare:
    compare()
else:
    simulate()
