package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads the commands' JSON results with a real parser, so that a test fails on anything that is not valid JSON. */
final class JsonResult {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResult() {
    }

    /** The text as one JSON value; fails the test when it is not valid JSON. */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return fail("not valid JSON (" + e.getOriginalMessage() + "): " + text);
        }
    }

    /** The last line of stdout, which {@code --json} makes one JSON object. */
    static JsonNode lastLine(String stdout) {
        String[] lines = stdout.strip().split("\n");
        JsonNode n = parse(lines[lines.length - 1]);
        if (!n.isObject()) {
            fail("the last stdout line is not a JSON object: " + lines[lines.length - 1]);
        }
        return n;
    }

    /** The object without the named fields (e.g. wall times, which differ between runs). */
    static JsonNode without(JsonNode object, String... keys) {
        ObjectNode copy = object.deepCopy();
        copy.remove(java.util.List.of(keys));
        return copy;
    }
}
