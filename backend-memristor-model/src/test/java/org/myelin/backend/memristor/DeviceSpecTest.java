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
    }

    @Test
    void mistakesAreRefusedByName() {
        MyelinException e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,colour=3"));
        assertTrue(e.getMessage().contains("unknown device key 'colour'"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,read=0.1"));
        assertTrue(e.getMessage().contains("crossbar engine"), "read noise is not mapped statically: " + e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,levels"));
        assertTrue(e.getMessage().contains("not key=value"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("rram"));
        assertTrue(e.getMessage().contains("unknown device preset 'rram'"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like@soon"));
        assertTrue(e.getMessage().contains("seconds"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> MemristorBackend.parse("pcm-like,levels=1"));
        assertTrue(e.getMessage().contains("levels"), e.getMessage());
    }
}
