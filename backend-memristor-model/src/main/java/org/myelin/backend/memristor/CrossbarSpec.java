package org.myelin.backend.memristor;

import org.myelin.core.MyelinException;

/**
 * The crossbar's array and periphery, and the cost of each operation for the energy and latency report.
 *
 * <p>Tiles: a projection's source neurons are the rows and its target neurons the columns; each weight is a
 * differential pair of devices (G+ in one array, G- in its twin), so a tile holds {@code tileRows} x
 * {@code tileColumns} pairs and a projection takes ceil(sources / tileRows) x ceil(targets / tileColumns) tiles.
 * Every tile column has its sensed differential current I = V_read sum over active rows (G+ - G-) converted by an
 * ADC ({@link org.myelin.backend.memristor.device.DeviceModel#adcBits()}), tile by tile; the digital sums of a column's
 * tiles are the target neuron's input.
 *
 * <p>IR drop, to first order: a cell reads through the wire segments between its row driver and its column's sense
 * amplifier, (column in tile + 1) along the row and (tileRows - row in tile) along the column, each of
 * {@code wireOhms}, so its effective conductance is G / (1 + G R_path). (This ignores the sharing of a line by the
 * currents of other cells, which a full nodal solution of the array would include.)
 *
 * <p>Energy: a cell read dissipates V_read^2 G t_read (from the conductance actually read); an ADC conversion costs
 * {@code adcPj}; a neuron update {@code neuronPj}. Latency per time step: t_read, then ceil(tileColumns /
 * columnsPerAdc) conversions of {@code adcNs} (tiles convert in parallel, columns sharing an ADC one after another),
 * then {@code neuronNs} for the digital neuron update.
 *
 * @param tileRows      rows of one tile
 * @param tileColumns   differential-pair columns of one tile
 * @param readVolts     read voltage, V
 * @param readNs        read pulse, ns
 * @param wireOhms      wire resistance of one cell's segment, ohm (0: no IR drop)
 * @param columnsPerAdc columns sharing one ADC
 * @param adcPj         energy of one conversion, pJ
 * @param adcNs         time of one conversion, ns
 * @param neuronPj      energy of one neuron update, pJ
 * @param neuronNs      time of the neuron update of one step (all neurons in parallel), ns
 */
public record CrossbarSpec(int tileRows, int tileColumns, double readVolts, double readNs, double wireOhms,
                           int columnsPerAdc, double adcPj, double adcNs, double neuronPj, double neuronNs) {

    public CrossbarSpec {
        if (tileRows < 1 || tileColumns < 1 || columnsPerAdc < 1) {
            throw new MyelinException("crossbar: tile rows, tile columns and columns per ADC must be >= 1, were "
                    + tileRows + ", " + tileColumns + " and " + columnsPerAdc);
        }
        for (double v : new double[] {readVolts, readNs, wireOhms, adcPj, adcNs, neuronPj, neuronNs}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new MyelinException("crossbar: voltages, times, resistances and energies must be finite and"
                        + " >= 0");
            }
        }
    }

    /**
     * Defaults: 256 x 256 pair tiles, 0.2 V and 10 ns reads, no IR drop, 8 columns per ADC at 2 pJ and 1 ns a
     * conversion, 50 pJ and 10 ns a neuron update. These are assumed figures of the usual order for in-memory
     * computing macros and digital neuron cores, not measurements; change them with the backend's keys.
     */
    public static CrossbarSpec defaults() {
        return new CrossbarSpec(256, 256, 0.2, 10, 0, 8, 2.0, 1.0, 50, 10);
    }

    public CrossbarSpec withTile(int rows, int columns) {
        return new CrossbarSpec(rows, columns, readVolts, readNs, wireOhms, columnsPerAdc, adcPj, adcNs, neuronPj,
                neuronNs);
    }

    public CrossbarSpec withWireOhms(double ohms) {
        return new CrossbarSpec(tileRows, tileColumns, readVolts, readNs, ohms, columnsPerAdc, adcPj, adcNs, neuronPj,
                neuronNs);
    }

    public CrossbarSpec withReadVolts(double volts) {
        return new CrossbarSpec(tileRows, tileColumns, volts, readNs, wireOhms, columnsPerAdc, adcPj, adcNs, neuronPj,
                neuronNs);
    }

    public CrossbarSpec withAdcCost(double pj, double ns, int columns) {
        return new CrossbarSpec(tileRows, tileColumns, readVolts, readNs, wireOhms, columns, pj, ns, neuronPj,
                neuronNs);
    }

    public CrossbarSpec withNeuronCost(double pj, double ns) {
        return new CrossbarSpec(tileRows, tileColumns, readVolts, readNs, wireOhms, columnsPerAdc, adcPj, adcNs, pj,
                ns);
    }

    /** Wire segments between cell (row, column) of a tile with {@code rowsInTile} rows and its sense amplifier. */
    public static int segments(int rowInTile, int columnInTile, int rowsInTile) {
        return (columnInTile + 1) + (rowsInTile - rowInTile);
    }

    /** Latency of one time step, ns. */
    public double stepNs() {
        return readNs + Math.ceil((double) tileColumns / columnsPerAdc) * adcNs + neuronNs;
    }
}
