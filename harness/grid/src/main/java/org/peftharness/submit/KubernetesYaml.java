package org.peftharness.submit;

import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * Block-style YAML for manifests. kubectl reads YAML 1.1, where a bare {@code yes}, {@code on},
 * {@code 010} or {@code 1:30} is no longer a string; the JSON schema the dumper uses by default
 * would leave those bare. Strings that could read as anything else are therefore quoted.
 */
final class KubernetesYaml {
  /** YAML 1.1 booleans and nulls, and anything that starts like a number, a date or a time. */
  private static final Pattern AMBIGUOUS = Pattern.compile("(?i)(y|n|yes|no|on|off|true|false|null|~)?|[-+]?[.0-9].*");

  private static final Dump DUMP = new Dump(DumpSettings.builder()
      .setDefaultFlowStyle(FlowStyle.BLOCK)
      .setSplitLines(false)
      .setSchema(new CautiousSchema())
      .build());

  private KubernetesYaml() {}

  static String dump(Object document) {
    return DUMP.dumpToString(document);
  }

  private static final class CautiousSchema extends JsonSchema {
    @Override
    public ScalarResolver getScalarResolver() {
      ScalarResolver json = super.getScalarResolver();
      // a string that would not read back as a bare string is quoted (asked with implicit true; a quoted one is
      // asked again with implicit false, and must then read as a string or it gets an explicit tag as well)
      return (value, implicit) -> {
        Tag tag = json.resolve(value, implicit);
        return implicit && tag.equals(Tag.STR) && AMBIGUOUS.matcher(value).matches() ? Tag.BOOL : tag;
      };
    }
  }
}
