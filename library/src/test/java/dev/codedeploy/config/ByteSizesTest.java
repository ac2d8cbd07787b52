package dev.codedeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteSizesTest {

    @Test
    void bytesBelowOneKibibyteStayBytes() {
        assertThat(ByteSizes.format(0)).isEqualTo("0 B");
        assertThat(ByteSizes.format(1023)).isEqualTo("1023 B");
    }

    @Test
    void largerCountsTakeTheLargestBinaryUnitToOneDecimal() {
        assertThat(ByteSizes.format(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSizes.format(3L << 20)).isEqualTo("3.0 MiB");
        assertThat(ByteSizes.format(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(ByteSizes.format(5L << 50)).as("nothing past TiB").isEqualTo("5120.0 TiB");
    }
}
