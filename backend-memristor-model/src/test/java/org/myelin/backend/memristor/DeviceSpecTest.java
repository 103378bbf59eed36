package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.MyelinException;

/** The device selector: a preset, the time since programming and key=value changes, each refused by name when wrong. */
class DeviceSpecTest {

    @Test
    void presetsTimesAndChangesAreParsed() {
        MemristorBackend.Device d = MemristorBackend.parse("pcm-like@3600,levels=16,stuck=0.02,d2d=0.1,prog=2,drift=0.5");
        DeviceModel m = d.model();
        assertEquals(3600, d.seconds());
        assertEquals(16, m.levels());
        assertEquals(0.01, m.stuckLow(), 1e-12);
        assertEquals(0.01, m.stuckHigh(), 1e-12);
        assertEquals(0.1, m.d2dSigma());
        assertEquals(2, m.progScale());
        assertEquals(0.5, m.driftScale());
        MemristorBackend.Device r = MemristorBackend.parse("ideal");
        assertEquals(0, r.seconds());
        assertEquals(0, r.model().levels());
        assertEquals(0, r.model().adcBits());
        MemristorBackend.Device x = MemristorBackend.parse("rram,adc=6,adcrows=4,tile=128x64,wire=2.5,read=0.05,vread=0.1");
        assertEquals(6, x.model().adcBits());
        assertEquals(4 * 39 * 0.1, x.model().adcRange(), 1e-12, "full scale: 4 rows at gMax - gMin, 0.1 V");
        assertEquals(128, x.crossbar().tileRows());
        assertEquals(64, x.crossbar().tileColumns());
        assertEquals(2.5, x.crossbar().wireOhms());
        assertEquals(0.05, x.model().readSigma());
        MemristorBackend.Device rram = MemristorBackend.parse("rram");
        assertEquals(8, rram.model().adcBits());
        assertEquals(512, rram.crossbar().tileRows(), "the paper's 256 Kb macro: 512 x 512 cells");
        assertEquals(256, rram.crossbar().tileColumns());
    }

    @Test
    void mistakesAreRefusedByName() {
        MyelinException e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,colour=3"));
        assertTrue(e.getMessage().contains("unknown key 'colour'") && e.getMessage().contains("adcrows"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,tile=big"));
        assertTrue(e.getMessage().contains("ROWSxCOLUMNS"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,wire=-1"));
        assertTrue(e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,levels"));
        assertTrue(e.getMessage().contains("not key=value"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("rram-7nm"));
        assertTrue(e.getMessage().contains("unknown device preset 'rram-7nm'; known: ideal, pcm-like, rram"),
                e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like@soon"));
        assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,levels=1"));
        assertTrue(e.getMessage().contains("levels"), e.getMessage());
    }
}
