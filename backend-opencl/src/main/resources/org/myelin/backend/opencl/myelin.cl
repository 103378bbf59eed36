/*
 * Myelin's OpenCL C 1.2 kernels. Float arithmetic mirrors CpuLifKernel.stepFixed operation for operation, with
 * contraction into fused multiply-add switched off, so that the CPU backend in fixed-point mode and this
 * backend produce the same bits. Synaptic input is summed as 32-bit integers (2^-16 mV per unit), so the order
 * in which work-items add does not matter.
 */
#pragma OPENCL FP_CONTRACT OFF

#define FIXED_RESOLUTION (1.0f / 65536.0f)

/* Philox4x32-10 (Salmon et al. 2011), as org.myelin.core.random.Philox. */
inline ulong philox_first64(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1) {
    for (int r = 0; r < 10; r++) {
        uint hi0 = mul_hi(0xD2511F53u, c0);
        uint lo0 = 0xD2511F53u * c0;
        uint hi1 = mul_hi(0xCD9E8D57u, c2);
        uint lo1 = 0xCD9E8D57u * c2;
        uint n0 = hi1 ^ c1 ^ k0;
        uint n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    return ((ulong) c0 << 32) | (ulong) c1;
}

/* CounterRandom.bits(seed, stream, index, counter) for index < 2^32. */
inline ulong counter_bits(ulong seed, uint stream, uint index, ulong counter) {
    return philox_first64((uint) counter, (uint) (counter >> 32), index, stream, (uint) seed, (uint) (seed >> 32));
}

/* For tests: out[i] = counter_bits(seed, stream, first + i, counter). */
__kernel void random_bits(ulong seed, uint stream, uint first, ulong counter, __global ulong* out, int n) {
    int i = get_global_id(0);
    if (i < n) {
        out[i] = counter_bits(seed, stream, first + (uint) i, counter);
    }
}

/*
 * One step of neuron i of population p (floats fp[9p..9p+8] = dv, pe, pi, de, di, pc, vt, reset, subtract; ints
 * ip[2p..2p+1] = reset kind (0 to value, 1 subtract, 2 subtract at the next step: a delayed reset, pending while
 * refractoryLeft is -1), refractory steps), with the arithmetic of CpuLifKernel.stepFixed, operation for operation.
 * Returns 1 when it spikes.
 */
inline int update_neuron(int i, __global float* u, __global float* ge, __global float* gi,
                         __global int* refractoryLeft, __global int* ringE, __global int* ringI, int ringBase,
                         __global const float* current, int useCurrent, int populations,
                         __constant int* segmentEnd, __constant float* fp, __constant int* ip) {
    int p = 0;
    while (p + 1 < populations && i >= segmentEnd[p]) {
        p++;
    }
    __constant float* f = fp + 9 * p;
    int ae = ringE[ringBase + i];
    int ai = ringI[ringBase + i];
    ringE[ringBase + i] = 0;
    ringI[ringBase + i] = 0;
    float e = ge[i] + (float) ae * FIXED_RESOLUTION;
    float h = gi[i] + (float) ai * FIXED_RESOLUTION;
    int r = refractoryLeft[i];
    int spiked = 0;
    if (r > 0) {
        refractoryLeft[i] = r - 1;
    } else {
        float x = u[i] * f[0] + e * f[1] + h * f[2];
        if (useCurrent) {
            x = x + current[i] * f[5];
        }
        if (r < 0) {
            x = x - f[8];
            refractoryLeft[i] = 0;
        }
        if (x > f[6]) {
            if (ip[2 * p] == 2) {
                refractoryLeft[i] = -1;
            } else {
                x = ip[2 * p] ? x - f[8] : f[7];
                int refractorySteps = ip[2 * p + 1];
                if (refractorySteps > 1) {
                    refractoryLeft[i] = refractorySteps - 1;
                }
            }
            spiked = 1;
        }
        u[i] = x;
    }
    ge[i] = e * f[3];
    gi[i] = h * f[4];
    return spiked;
}

/*
 * Adds the row of source g (code = 2 * target + receptor; weights per synapse (weightMode 0) or per row (1);
 * delays per synapse (constDelay 0) or constant) to the ring slots of step + delay, work-items first .. by
 * stride.
 */
inline void deliver_row(int g, int first, int stride, __global const int* rowStart, __global const int* code,
                        __global const int* weight, __global const int* rowWeight, int weightMode,
                        __global const ushort* delay, int constDelay, __global int* ringE, __global int* ringI,
                        ulong step, int slots, int neurons) {
    int a = rowStart[g];
    int b = rowStart[g + 1];
    int rw = weightMode == 1 ? rowWeight[g] : 0;
    for (int k = a + first; k < b; k += stride) {
        int c = code[k];
        int w = weightMode == 1 ? rw : weight[k];
        int d = constDelay > 0 ? constDelay : (int) delay[k];
        int idx = (int) ((step + (ulong) d) % (ulong) slots) * neurons + (c >> 1);
        if (c & 1) {
            atomic_add(&ringI[idx], w);
        } else {
            atomic_add(&ringE[idx], w);
        }
    }
}

/* One step of every neuron, all populations in one launch; spikes are appended to spikes[listBase ...]. */
__kernel void update_all(__global float* u, __global float* ge, __global float* gi, __global int* refractoryLeft,
                         __global int* ringE, __global int* ringI, int ringBase,
                         __global const float* current, int useCurrent, int neurons, int populations,
                         __constant int* segmentEnd, __constant float* fp, __constant int* ip,
                         __global int* spikes, int listBase, __global int* counts, int slot) {
    int i = get_global_id(0);
    if (i >= neurons) {
        return;
    }
    if (update_neuron(i, u, ge, gi, refractoryLeft, ringE, ringI, ringBase, current, useCurrent, populations,
                      segmentEnd, fp, ip)) {
        int k = atomic_inc(&counts[slot]);
        spikes[listBase + k] = i;
    }
}

/*
 * Poisson generators [0, size) of one source whose rows start at global index offset: generator i spikes in
 * step when (CounterRandom.bits(seed, stream, i, step) >>> 11) < threshold, threshold = ceil(p * 2^53), which
 * is exactly CounterRandom.uniform(...) < p.
 */
__kernel void poisson(ulong seed, uint stream, ulong step, ulong threshold, int offset, int size,
                      __global int* spikes, int listBase, __global int* counts, int slot) {
    int i = get_global_id(0);
    if (i >= size) {
        return;
    }
    if ((counter_bits(seed, stream, (uint) i, step) >> 11) < threshold) {
        int k = atomic_inc(&counts[slot]);
        spikes[listBase + k] = offset + i;
    }
}

/* Given spikes of this step: train[first .. first + n) are local indices of a source at global offset. */
__kernel void train(__global const int* train, int first, int n, int offset,
                    __global int* spikes, int listBase, __global int* counts, int slot) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int k = atomic_inc(&counts[slot]);
    spikes[listBase + k] = offset + train[first + i];
}

/*
 * Delivers the spikes of one step: a work-group per spike (striding), its work-items over the spike's row.
 * code = 2 * target + receptor; weights per synapse (weightMode 0) or per row (1); delays per synapse
 * (constDelay 0) or constant. Clears the spike count of the next step's slot.
 */
__kernel void deliver(__global const int* spikes, int listBase, __global int* counts, int slot, int nextSlot,
                      __global const int* rowStart, __global const int* code,
                      __global const int* weight, __global const int* rowWeight, int weightMode,
                      __global const ushort* delay, int constDelay,
                      __global int* ringE, __global int* ringI, ulong step, int slots, int neurons) {
    int count = counts[slot];
    for (int s = get_group_id(0); s < count; s += get_num_groups(0)) {
        deliver_row(spikes[listBase + s], get_local_id(0), get_local_size(0), rowStart, code, weight, rowWeight,
                    weightMode, delay, constDelay, ringE, ringI, step, slots, neurons);
    }
    if (get_global_id(0) == 0) {
        counts[nextSlot] = 0;
    }
}

/*
 * Packs the spike lists of a finished batch (steps first .. first + steps - 1, slot (first + j) % slots each)
 * into staging: the counts of the steps, then their spikes one step after the other, as far as capacity
 * allows. A work-group per step.
 */
__kernel void compact_batch(__global const int* spikes, __global const int* counts, int first, int steps,
                            int slots, int rows, __global int* staging, long capacity) {
    int j = get_group_id(0);
    if (j >= steps) {
        return;
    }
    long offset = steps;
    for (int i = 0; i < j; i++) {
        offset += counts[(first + i) % slots];
    }
    int slot = (first + j) % slots;
    int c = counts[slot];
    if (get_local_id(0) == 0) {
        staging[j] = c;
    }
    for (int k = get_local_id(0); k < c; k += get_local_size(0)) {
        if (offset + k < capacity) {
            staging[offset + k] = spikes[(long) slot * rows + k];
        }
    }
}

/* out[outBase + j] = src[offset + index[j]] for j < m: one sample of a state monitor. */
__kernel void sample(__global const float* src, __global const int* index, int offset, int m,
                     __global float* out, int outBase) {
    int j = get_global_id(0);
    if (j < m) {
        out[outBase + j] = src[offset + index[j]];
    }
}
