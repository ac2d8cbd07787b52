package dev.codedeploy.replication.copy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** SHA-256 and MD5 helpers, and reading S3 ETags (the MD5 the store computed of the bytes it received). */
final class Digests {

    private static final Pattern MD5 = Pattern.compile("[0-9a-fA-F]{32}");

    private Digests() {
    }

    static MessageDigest sha256() {
        return get("SHA-256");
    }

    static MessageDigest md5() {
        return get("MD5");
    }

    private static MessageDigest get(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    /** The ETag without quotes, lowercase. */
    static String etag(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
        return e.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * True when {@code etag} is an MD5 (stores with KMS encryption report something else, and then the bytes must be
     * read back instead).
     */
    static boolean isMd5(String etag) {
        return MD5.matcher(etag(etag)).matches();
    }

    /** The ETag S3 computes for a multipart object: the MD5 of the parts' MD5s, then {@code -<parts>}. */
    static String multipartEtag(List<String> partMd5s) {
        MessageDigest md5 = md5();
        HexFormat hex = HexFormat.of();
        partMd5s.forEach(p -> md5.update(hex.parseHex(p)));
        return hex.formatHex(md5.digest()) + "-" + partMd5s.size();
    }
}
