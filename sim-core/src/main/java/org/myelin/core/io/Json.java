package org.myelin.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object, built field by field and written by Jackson's generator, so that what Myelin prints is valid
 * JSON always: strings escaped, and a number that is not finite (NaN, an infinity) written as {@code null}, never as
 * a bare {@code NaN} token. Fields keep the order in which they were put; putting a key again replaces its value in
 * place.
 *
 * <p>Values: {@code null}, {@link Boolean}, any {@link Number} (a {@link Float} is written with float precision, so
 * {@code 0.1f} prints as {@code 0.1}), {@link CharSequence}, {@link Enum} (its name), another {@code Json}, arrays of
 * primitives or objects, {@link Collection}s and {@link Map}s with string keys, nested freely. Anything else is
 * refused when it is put.
 *
 * <pre>{@code
 * String line = Json.object().put("neurons", 4000).put("rate_hz", 6.0).put("backend", "cpu").toString();
 * // {"neurons":4000,"rate_hz":6.0,"backend":"cpu"}
 * }</pre>
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Json() {
    }

    /** An empty object. */
    public static Json object() {
        return new Json();
    }

    /**
     * Sets {@code key} to {@code value}.
     *
     * @throws IllegalArgumentException if the value (or something inside it) has a type JSON cannot hold
     */
    public Json put(String key, Object value) {
        if (key == null) {
            throw new IllegalArgumentException("a JSON field needs a name");
        }
        check(key, value);
        fields.put(key, value);
        return this;
    }

    /** Whether a field of that name was put. */
    public boolean has(String key) {
        return fields.containsKey(key);
    }

    /** The object on one line, without spaces. */
    @Override
    public String toString() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void check(String key, Object v) {
        if (v == null || v instanceof Boolean || v instanceof Number || v instanceof CharSequence || v instanceof Enum
                || v instanceof Json || v instanceof double[] || v instanceof float[] || v instanceof long[]
                || v instanceof int[] || v instanceof short[] || v instanceof byte[] || v instanceof boolean[]) {
            return;
        }
        if (v instanceof Object[] a) {
            for (Object o : a) {
                check(key, o);
            }
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                check(key, o);
            }
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON field " + key + ": map keys must be strings, not "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()));
                }
                check(key, e.getValue());
            }
        } else {
            throw new IllegalArgumentException("JSON field " + key + ": a " + v.getClass().getName()
                    + " has no JSON form");
        }
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            number(g, d);
        } else if (v instanceof Float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f);
            } else {
                g.writeNull();
            }
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof java.math.BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof java.math.BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof Number n) {
            number(g, n.doubleValue());
        } else if (v instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof Json j) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : j.fields.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] a) {
            g.writeStartArray();
            for (Object o : a) {
                write(g, o);
            }
            g.writeEndArray();
        } else {
            primitiveArray(g, v);
        }
    }

    private static void primitiveArray(JsonGenerator g, Object v) throws IOException {
        g.writeStartArray();
        if (v instanceof double[] a) {
            for (double d : a) {
                number(g, d);
            }
        } else if (v instanceof float[] a) {
            for (float f : a) {
                write(g, f);
            }
        } else if (v instanceof long[] a) {
            for (long x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof int[] a) {
            for (int x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof short[] a) {
            for (short x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof byte[] a) {
            for (byte x : a) {
                g.writeNumber(x);
            }
        } else if (v instanceof boolean[] a) {
            for (boolean x : a) {
                g.writeBoolean(x);
            }
        } else {
            throw new IllegalStateException("unchecked JSON value " + v.getClass()); // check() refused it before
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }
}
