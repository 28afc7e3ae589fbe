package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsLogTest {
  @Test
  void readsSteps_skipsCutLines_keepsNaNOutOfCurves() {
    MetricsLog log = MetricsLog.parse("""
        {"step":1,"loss":0.7,"lr":0.001}
        {"step":2,"loss":NaN,"lr":0.001}
        {"step":2,"eval":{"strict@v1/accuracy":0.4}}
        not json
        {"loss":0.5}
        {"step":3,"loss":0.6}
        {"step":4,"lo""");
    assertThat(log.entries()).hasSize(4);
    assertThat(log.skippedLines()).isEqualTo(3);
    assertThat(log.losses()).containsOnlyKeys(1L, 3L);
    assertThat(log.entries().get(2).eval()).containsEntry("strict@v1/accuracy", 0.4);
  }
}
