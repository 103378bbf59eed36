package org.myelin.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void fieldsKeepTheirOrderAndTypes() throws Exception {
        String s = Json.object().put("neurons", 4000).put("rate_hz", 6.25).put("backend", "cpu").put("exact", true)
                .put("none", null).toString();
        assertEquals("{\"neurons\":4000,\"rate_hz\":6.25,\"backend\":\"cpu\",\"exact\":true,\"none\":null}", s);
        JsonNode n = MAPPER.readTree(s);
        assertEquals(4000, n.get("neurons").asInt());
    }

    @Test
    void numbersThatAreNotFiniteBecomeNullAndTheLineStaysValid() throws Exception {
        String s = Json.object().put("a", Double.NaN).put("b", Double.POSITIVE_INFINITY).put("c", Float.NaN)
                .put("d", new double[] {1, Double.NaN, -0.5}).toString();
        assertEquals("{\"a\":null,\"b\":null,\"c\":null,\"d\":[1.0,null,-0.5]}", s);
        MAPPER.readTree(s);
    }

    @Test
    void stringsAreEscaped() throws Exception {
        String tricky = "a \"quoted\" path\\with\ttab\nand newline \u0001";
        String s = Json.object().put("name", tricky).toString();
        assertEquals(tricky, MAPPER.readTree(s).get("name").asText());
        assertTrue(!s.contains("\n"), s);
    }

    @Test
    void floatsKeepFloatPrecisionAndNestingWorks() throws Exception {
        String s = Json.object().put("f", 0.1f).put("inner", Json.object().put("x", 1L))
                .put("list", List.of(1, "two", Map.of("k", 3))).put("ints", new int[] {1, 2}).toString();
        assertEquals("{\"f\":0.1,\"inner\":{\"x\":1},\"list\":[1,\"two\",{\"k\":3}],\"ints\":[1,2]}", s);
    }

    @Test
    void puttingAKeyAgainReplacesItInPlace() {
        assertEquals("{\"a\":2,\"b\":1}", Json.object().put("a", 1).put("b", 1).put("a", 2).toString());
    }

    @Test
    void valuesWithoutAJsonFormAreRefusedWhenPut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.object().put("when", new Object()));
        assertTrue(e.getMessage().contains("when"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.object().put("m", Map.of(1, 2)));
    }
}
