package dev.codedeploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostBucketsTest {

    /** What a listing of a bucket costs in a ZooKeeper response: a 4-byte length and the name, per child. */
    private static long listingBytes(int[] counts, int nameLength) {
        return IntStream.of(counts).max().orElse(0) * (4L + nameLength);
    }

    private static String ec2(int n) {
        return "ip-10-" + (n >> 16 & 255) + "-" + (n >> 8 & 255) + "-" + (n & 255) + ".ec2.internal";
    }

    @Test
    void theBucketOfAHostNeverChanges() {
        // recorded once: another answer would move every host, and agents and control planes of two versions would
        // look for a host in different buckets
        assertThat(HostBuckets.name(HostBuckets.of("web-17"))).isEqualTo("_cb");
        assertThat(HostBuckets.name(HostBuckets.of("ip-10-0-0-1.ec2.internal"))).isEqualTo("_f8");
        assertThat(ZkLayout.hostStatus("production", "web-17")).isEqualTo("/codedeploy/production/hosts/_cb/web-17/status");
    }

    @Test
    void fiftyThousandHostsSpreadEvenlyAndEveryListingStaysFarBelowAHundredKilobytes() {
        int hosts = 50_000;
        int[] counts = new int[HostBuckets.COUNT];
        for (int i = 0; i < hosts; i++) {
            counts[HostBuckets.of(ec2(i))]++;
        }
        double mean = hosts / (double) HostBuckets.COUNT;
        assertThat(IntStream.of(counts).max().orElseThrow()).as("the fullest bucket").isLessThan((int) (mean * 1.3));
        assertThat(IntStream.of(counts).min().orElseThrow()).as("the emptiest bucket").isGreaterThan((int) (mean * 0.7));
        assertThat(listingBytes(counts, ec2(hosts).length())).as("an EC2-style listing").isLessThan(10_000);
        // the longest host ids allowed, spread the same way, still list under 100 KB
        assertThat(listingBytes(counts, 253)).as("a listing of 253-character ids").isLessThan(100_000);
        // the top listing: the buckets themselves
        assertThat(HostBuckets.COUNT * (4L + 3)).isLessThan(2_000);
    }

    @Test
    void bucketNamesAreNeverHostIdsSoTheFlatLayoutCannotClash() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < HostBuckets.COUNT; i++) {
            String name = HostBuckets.name(i);
            names.add(name);
            assertThat(HostBuckets.indexOf(name)).isEqualTo(i);
            assertThatThrownBy(() -> ZkLayout.checkHost(name)).isInstanceOf(InvalidInputException.class);
        }
        assertThat(names).hasSize(HostBuckets.COUNT);
        assertThat(HostBuckets.indexOf("web-17")).isEqualTo(-1);
        assertThat(HostBuckets.indexOf("_1g")).isEqualTo(-1);
        assertThatThrownBy(() -> HostBuckets.name(HostBuckets.COUNT)).isInstanceOf(IllegalArgumentException.class);
    }
}
