package hmmtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for reading results files that may lack any field. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** A JSON array of strings (or anything, as text); empty when missing or not an array. */
    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.isTextual() ? e.asText() : e.toString()));
        }
        return out;
    }

    /** A JSON object's fields as text, in order; nested values as compact JSON. */
    static Map<String, String> flat(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        } else if (n != null && !n.isMissingNode() && !n.isNull()) {
            out.put("value", n.isValueNode() ? n.asText() : n.toString());
        }
        return out;
    }

    /** Text of a field, or null when it is missing or JSON null (so "absent" stays visible). */
    static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The first 12 hex digits, as git abbreviates: enough to tell builds apart in a table. */
    static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
