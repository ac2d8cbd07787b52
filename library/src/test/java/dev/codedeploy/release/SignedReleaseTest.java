package dev.codedeploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedReleaseTest {

    private final KeyPair keys = ReleaseKeys.generate();

    static Release release(long version) {
        return new Release(Release.FORMAT, "production", version, 42, "a".repeat(40), "git://h/r",
                "builds/x/42/1/artifact", "builds/x/42/1/artifact.torrent", "builds/x/42/1/manifest.json", 1234,
                "b".repeat(64), 4 << 20, "TAR", "dist", null, null, 0, false, false, 41L, "alice", Instant.parse("2026-11-26T00:00:00Z"));
    }

    @Test
    void signedReleaseVerifiesWithTheMatchingKey() {
        byte[] node = SignedRelease.sign(release(3), keys.getPrivate(), "k1").toBytes();
        Release read = SignedRelease.verify(node, keys.getPublic(), "test");
        assertThat(read).isEqualTo(release(3));
        assertThat(read.openPercent()).isEqualTo(1);
    }

    @Test
    void tamperedPayloadIsRefused() {
        SignedRelease signed = SignedRelease.sign(release(3), keys.getPrivate(), "k1");
        SignedRelease tampered = new SignedRelease(signed.payload().replace("\"buildId\":42", "\"buildId\":43"), signed.signature(), "k1");
        assertThatThrownBy(() -> SignedRelease.verify(tampered.toBytes(), keys.getPublic(), "test"))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("does not match");
    }

    @Test
    void otherKeyUnsignedAndGarbageAreRefused() {
        byte[] node = SignedRelease.sign(release(3), keys.getPrivate(), "k1").toBytes();
        assertThatThrownBy(() -> SignedRelease.verify(node, ReleaseKeys.generate().getPublic(), "t")).isInstanceOf(InvalidReleaseException.class);
        byte[] unsigned = Json.write(new SignedRelease(new String(Json.write(release(3)), StandardCharsets.UTF_8), null, null));
        assertThatThrownBy(() -> SignedRelease.verify(unsigned, keys.getPublic(), "t")).hasMessageContaining("not signed");
        assertThatThrownBy(() -> SignedRelease.verify("{nope".getBytes(), keys.getPublic(), "t")).isInstanceOf(InvalidReleaseException.class);
        assertThatThrownBy(() -> SignedRelease.verify(new byte[0], keys.getPublic(), "t")).hasMessageContaining("empty");
    }

    @Test
    void keysRoundTripAsText() {
        var pub = ReleaseKeys.publicKey(ReleaseKeys.encode(keys.getPublic()));
        var priv = ReleaseKeys.privateKey(ReleaseKeys.encode(keys.getPrivate()));
        assertThat(SignedRelease.verify(SignedRelease.sign(release(1), priv, "k").toBytes(), pub, "t").version()).isEqualTo(1);
    }

    @Test
    void wavesSpreadHostsEvenlyAndStably() {
        int[] buckets = new int[100];
        for (int i = 0; i < 100_000; i++) {
            buckets[Waves.percentileOf("host-" + i)]++;
        }
        for (int b : buckets) {
            assertThat(b).isBetween(800, 1200);
        }
        assertThat(Waves.percentileOf("host-7")).isEqualTo(Waves.percentileOf("host-7"));
        assertThatThrownBy(() -> Waves.check(List.of(10, 5, 100))).hasMessageContaining("ascending");
        assertThatThrownBy(() -> Waves.check(List.of(10, 50))).hasMessageContaining("end at 100");
    }

    @Test
    void aRecordSignedWithAKeyIdTheKeyringDoesNotHoldIsRefused() {
        KeyPair next = ReleaseKeys.generate();
        ReleaseKeyring ring = ReleaseKeyring.of(java.util.Map.of("control-2026", keys.getPublic(), "control-2027", next.getPublic()));
        assertThat(SignedRelease.verify(SignedRelease.sign(release(1), keys.getPrivate(), "control-2026").toBytes(), ring, "t").version())
                .isEqualTo(1);
        assertThat(SignedRelease.verify(SignedRelease.sign(release(2), next.getPrivate(), "control-2027").toBytes(), ring, "t").version())
                .isEqualTo(2);
        // the id selects the key: a record naming one id but signed with the other key does not verify
        assertThatThrownBy(() -> SignedRelease.verify(SignedRelease.sign(release(3), keys.getPrivate(), "control-2027").toBytes(), ring, "t"))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("does not match");
        // a retired id is refused, naming the ids held
        assertThatThrownBy(() -> SignedRelease.verify(SignedRelease.sign(release(4), keys.getPrivate(), "control-2025").toBytes(), ring, "t"))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("'control-2025'").hasMessageContaining("control-2027");
    }

    @Test
    void theSigningTimeIsCoveredByTheSignatureAndTheEnvironmentIsChecked() {
        SignedRelease signed = SignedRelease.sign(release(3), keys.getPrivate(), "k1", Instant.parse("2026-12-01T00:00:00Z"));
        ReleaseKeyring ring = ReleaseKeyring.anyId(keys.getPublic());
        assertThat(SignedRelease.open(signed.toBytes(), ring, "production", "t").signedAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        for (SignedRelease forged : java.util.List.of(
                new SignedRelease(signed.payload(), signed.signature(), "k1", Instant.parse("2026-12-02T00:00:00Z")),
                new SignedRelease(signed.payload(), signed.signature(), "k1", null))) {
            assertThatThrownBy(() -> SignedRelease.verify(forged.toBytes(), ring, "t")).hasMessageContaining("does not match");
        }
        assertThatThrownBy(() -> SignedRelease.open(signed.toBytes(), ring, "staging", "t"))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("environment 'production', not of 'staging'");
        // signing again keeps the payload and moves the time
        SignedRelease again = signed.resign(keys.getPrivate(), "k1", Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(again.payload()).isEqualTo(signed.payload());
        assertThat(SignedRelease.open(again.toBytes(), ring, "t").signedAt()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    }
}
