#!/usr/bin/python3
"""Reference values for Myelin's LMU discretisation test, from SciPy (an independent implementation).

usage: lmu_zoh_reference.py > sim-learning/src/test/resources/lmu_zoh_reference.txt

For each (order, theta): the continuous Legendre memory A (order x order) and B (order), A[i][j] = (2i+1) * (-1 if
i < j else (-1)^(i-j+1)), B[i] = (2i+1)(-1)^i, discretised by zero-order hold with dt = 1
(scipy.signal.cont2discrete on (A / theta, B / theta)); and scipy.linalg.expm of a fixed 5 x 5 matrix.
Lines: "name rows cols v00 v01 ...", values with 17 significant digits.
"""
import numpy as np
from scipy.linalg import expm
from scipy.signal import cont2discrete


def legendre(order):
    q = np.arange(order, dtype=np.float64)
    r = (2 * q + 1)[:, None]
    j, i = np.meshgrid(q, q)
    a = np.where(i < j, -1, (-1.0) ** (i - j + 1)) * r
    b = (-1.0) ** q[:, None] * r
    return a, b


def emit(name, m):
    m = np.atleast_2d(m)
    print(name, m.shape[0], m.shape[1], ' '.join('%.17g' % v for v in m.ravel()))


for order, theta in [(4, 7.0), (7, 10.0), (12, 40.0)]:
    a, b = legendre(order)
    ad, bd, _, _, _ = cont2discrete((a / theta, b / theta, np.eye(order), np.zeros((order, 1))), dt=1.0,
                                    method='zoh')
    emit('A_%d_%g' % (order, theta), ad)
    emit('B_%d_%g' % (order, theta), bd)
x = np.array([[0.5, -1.2, 0.3, 2.0, -0.7],
              [1.1, 0.2, -2.5, 0.4, 0.9],
              [-0.3, 0.8, 1.5, -1.0, 0.6],
              [2.2, -0.4, 0.1, -0.9, 1.3],
              [0.7, 1.9, -0.6, 0.5, -1.8]])
emit('X', x)
emit('EXPM_X', expm(x))
emit('EXPM_10X', expm(10 * x))
