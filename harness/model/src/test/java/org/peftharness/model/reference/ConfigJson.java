package org.peftharness.model.reference;

import com.fasterxml.jackson.databind.JsonNode;

/** config.json values with transformers' defaults: a key that is absent or null takes the default. */
final class ConfigJson {
  private ConfigJson() {}

  static boolean present(JsonNode c, String key) {
    return c.hasNonNull(key);
  }

  static String text(JsonNode c, String key, String fallback) {
    return present(c, key) ? c.get(key).asText() : require(key, fallback);
  }

  static Integer integer(JsonNode c, String key, Integer fallback) {
    return present(c, key) ? Integer.valueOf(c.get(key).asInt()) : require(key, fallback);
  }

  static Double number(JsonNode c, String key, Double fallback) {
    return present(c, key) ? Double.valueOf(c.get(key).asDouble()) : fallback;
  }

  /** A setting that null switches off: absent takes the default, an explicit null gives null. */
  static Double nullableNumber(JsonNode c, String key, Double fallback) {
    if (!c.has(key)) {
      return fallback;
    }
    return c.get(key).isNull() ? null : Double.valueOf(c.get(key).asDouble());
  }

  static boolean bool(JsonNode c, String key, boolean fallback) {
    return present(c, key) ? c.get(key).asBoolean() : fallback;
  }

  private static <T> T require(String key, T fallback) {
    if (fallback == null) {
      throw new IllegalArgumentException("config.json lacks '" + key + "'");
    }
    return fallback;
  }
}
