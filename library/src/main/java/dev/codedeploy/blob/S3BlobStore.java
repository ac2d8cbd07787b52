package dev.codedeploy.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * {@link BlobStore} over one S3 bucket with the AWS SDK v2. Files above the multipart threshold are uploaded in
 * parts, several at once; checksums are only computed when the protocol requires them, which S3Proxy needs. The SDK
 * client stays inside: server-side copy ({@code CopyObject}, {@code UploadPartCopy}) between two stores of one
 * endpoint and multipart uploads are methods of the interface, and SDK errors become {@link BlobStoreException}s.
 */
public final class S3BlobStore implements BlobStore {

    private static final String OCTETS = "application/octet-stream";

    private final String name;
    private final BlobStoreConfig config;
    private final S3Client s3;
    private final ExecutorService partUploads;

    /** A store named {@code name} (for messages) over the bucket of {@code config}. */
    public S3BlobStore(String name, BlobStoreConfig config) {
        this.name = name;
        this.config = config;
        this.s3 = newClient(config);
        this.partUploads = Executors.newFixedThreadPool(config.uploadThreads(), r -> {
            Thread t = new Thread(r, "s3-part-upload-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    private static S3Client newClient(BlobStoreConfig config) {
        AwsCredentialsProvider credentials = config.accessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()));
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(10)));
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    @Override
    public String name() {
        return name;
    }

    /** The bucket's configuration. */
    public BlobStoreConfig config() {
        return config;
    }


    @Override
    public BlobInfo put(String key, Path file, Map<String, String> metadata) {
        try {
            long size = Files.size(file);
            if (size <= config.multipartThreshold()) {
                s3.putObject(b -> b.bucket(config.bucket()).key(key).metadata(metadata).contentLength(size),
                        RequestBody.fromFile(file));
            } else {
                putMultipart(key, file, size, metadata);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " for upload to " + describe(key), e);
        } catch (SdkException e) {
            throw failure("upload", key, e);
        }
        return head(key).orElseThrow(() -> new BlobStoreException("blob store '" + name + "' lost " + key + " right after its upload"));
    }

    private void putMultipart(String key, Path file, long size, Map<String, String> metadata) {
        String uploadId = startMultipart(key, metadata);
        try {
            long partSize = config.partSize();
            int parts = (int) ((size + partSize - 1) / partSize);
            List<Future<UploadedPart>> futures = new ArrayList<>(parts);
            for (int i = 0; i < parts; i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                futures.add(partUploads.submit(() -> uploadPart(key, uploadId, partNumber, file, offset, length)));
            }
            List<UploadedPart> completed = new ArrayList<>(parts);
            for (Future<UploadedPart> f : futures) {
                completed.add(f.get());
            }
            completeMultipart(key, uploadId, completed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortQuietly(key, uploadId);
            throw new BlobStoreException("upload of " + describe(key) + " interrupted", e);
        } catch (ExecutionException e) {
            abortQuietly(key, uploadId);
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw failure("upload", key, sdk);
            }
            throw new BlobStoreException("upload of " + describe(key) + " failed: " + cause, cause);
        } catch (RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            abortMultipart(key, uploadId);
        } catch (BlobStoreException ignored) {
            // the store is probably down; a lifecycle rule cleans abandoned uploads
        }
    }

    private UploadedPart uploadPart(String key, String uploadId, int partNumber, Path file, long offset, long length) {
        String etag = s3.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                RequestBody.fromContentProvider(() -> openRange(file, offset, length), length, OCTETS)).eTag();
        return new UploadedPart(partNumber, etag, length);
    }

    private static InputStream openRange(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String putStream(String key, long size, Supplier<InputStream> source, Map<String, String> metadata) {
        // each try of the SDK opens the source again; the previous stream, and the last, are closed here
        InputStream[] current = new InputStream[1];
        try {
            return s3.putObject(b -> b.bucket(config.bucket()).key(key).metadata(metadata).contentLength(size),
                    size == 0 ? RequestBody.empty() : RequestBody.fromContentProvider(() -> {
                        closeQuietly(current[0]);
                        current[0] = source.get();
                        return current[0];
                    }, size, OCTETS)).eTag();
        } catch (SdkException e) {
            throw failure("upload", key, e);
        } finally {
            closeQuietly(current[0]);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // sent, or the upload failed anyway
            }
        }
    }

    @Override
    public boolean copiesServerSideFrom(BlobStore source) {
        if (!(source instanceof S3BlobStore other)) {
            return false;
        }
        BlobStoreConfig a = other.config;
        return a.endpoint() != null && Objects.equals(a.endpoint(), config.endpoint()) && Objects.equals(a.accessKey(), config.accessKey())
                && Objects.equals(a.region(), config.region());
    }

    @Override
    public void copyFrom(BlobStore source, String key, Map<String, String> metadata) {
        if (!copiesServerSideFrom(source)) {
            long size = source.head(key).orElseThrow(() -> new BlobNotFoundException(source.name(), key)).size();
            putStream(key, size, () -> source.open(key), metadata);
            return;
        }
        String sourceBucket = ((S3BlobStore) source).config.bucket();
        try {
            s3.copyObject(b -> b.sourceBucket(sourceBucket).sourceKey(key).destinationBucket(config.bucket()).destinationKey(key)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(source.name(), key);
        } catch (SdkException e) {
            throw failure("copy from blob store '" + source.name() + "'", key, e);
        }
    }

    @Override
    public String startMultipart(String key, Map<String, String> metadata) {
        try {
            return s3.createMultipartUpload(b -> b.bucket(config.bucket()).key(key).metadata(metadata)).uploadId();
        } catch (SdkException e) {
            throw failure("start of a multipart upload", key, e);
        }
    }

    @Override
    public Optional<Map<Integer, UploadedPart>> uploadedParts(String key, String uploadId) {
        try {
            Map<Integer, UploadedPart> parts = new HashMap<>();
            s3.listPartsPaginator(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)).parts()
                    .forEach(p -> parts.put(p.partNumber(), new UploadedPart(p.partNumber(), p.eTag(), p.size() == null ? -1 : p.size())));
            return Optional.of(parts);
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("listing the parts of upload " + uploadId, key, e);
        } catch (SdkException e) {
            throw failure("listing the parts of upload " + uploadId, key, e);
        }
    }

    @Override
    public String putPart(String key, String uploadId, int partNumber, byte[] bytes, int length) {
        try {
            return s3.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, OCTETS)).eTag();
        } catch (SdkException e) {
            throw failure("upload of part " + partNumber, key, e);
        }
    }

    @Override
    public String copyPart(BlobStore source, String key, String uploadId, int partNumber, long offset, long length) {
        if (!copiesServerSideFrom(source)) {
            throw new IllegalArgumentException("blob store '" + name + "' cannot copy server-side from blob store '" + source.name()
                    + "': they do not share an endpoint, credentials and region");
        }
        String sourceBucket = ((S3BlobStore) source).config.bucket();
        try {
            return s3.uploadPartCopy(b -> b.sourceBucket(sourceBucket).sourceKey(key).destinationBucket(config.bucket()).destinationKey(key)
                    .uploadId(uploadId).partNumber(partNumber).copySourceRange("bytes=" + offset + "-" + (offset + length - 1)))
                    .copyPartResult().eTag();
        } catch (SdkException e) {
            throw failure("server-side copy of part " + partNumber, key, e);
        }
    }

    @Override
    public void completeMultipart(String key, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build()).toList();
        try {
            s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(completed)));
        } catch (SdkException e) {
            throw failure("completion of upload " + uploadId, key, e);
        }
    }

    @Override
    public void abortMultipart(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // gone already
        } catch (SdkException e) {
            throw failure("abort of upload " + uploadId, key, e);
        }
    }

    @Override
    public List<String> multipartUploads(String key) {
        try {
            List<String> ids = new ArrayList<>();
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(config.bucket()).prefix(key)).uploads()) {
                if (u.key().equals(key)) {
                    ids.add(u.uploadId());
                }
            }
            return ids;
        } catch (SdkException e) {
            throw failure("listing the uploads", key, e);
        }
    }

    @Override
    public BlobInfo putBytes(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
        try {
            s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType).metadata(metadata).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("upload", key, e);
        }
        return head(key).orElseThrow(() -> new BlobStoreException("blob store '" + name + "' lost " + key + " right after its upload"));
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(config.bucket()).key(key));
            return Optional.of(new BlobInfo(key, r.contentLength(), unquote(r.eTag()), r.metadata(), r.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("head", key, e);
        } catch (SdkException e) {
            throw failure("head", key, e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(b -> b.bucket(config.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(name, key);
        } catch (SdkException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public byte[] getBytes(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(name, key);
        } catch (SdkException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public void download(String key, Path target) {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.deleteIfExists(partial);
            s3.getObject(b -> b.bucket(config.bucket()).key(key), ResponseTransformer.toFile(partial));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(name, key);
        } catch (SdkException e) {
            throw failure("download", key, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + " from " + describe(key), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            // already gone
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        try {
            ListObjectsV2Iterable pages = s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix));
            List<BlobInfo> result = new ArrayList<>();
            for (S3Object o : pages.contents()) {
                result.add(new BlobInfo(o.key(), o.size(), unquote(o.eTag()), Map.of(), o.lastModified()));
            }
            return result;
        } catch (SdkException e) {
            throw failure("list", prefix + "*", e);
        }
    }

    @Override
    public void checkReachable() {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (NoSuchBucketException e) {
            throw new BlobStoreRefusedException("blob store '" + name + "': bucket '" + config.bucket() + "' does not exist at " + endpoint());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new BlobStoreRefusedException("blob store '" + name + "': bucket '" + config.bucket() + "' does not exist at " + endpoint());
            }
            throw new BlobStoreRefusedException("blob store '" + name + "' at " + endpoint() + " refused access to bucket '"
                    + config.bucket() + "': HTTP " + e.statusCode() + " " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw new BlobStoreException("blob store '" + name + "' at " + endpoint() + " cannot be reached: " + e.getMessage(), e);
        }
    }

    /** Creates the bucket when it is missing (the sandbox and tests; production buckets are made by their owners). */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("create bucket", "", e);
            }
            s3.createBucket(b -> b.bucket(config.bucket()));
        }
    }

    @Override
    public void close() {
        partUploads.shutdownNow();
        s3.close();
    }

    private String endpoint() {
        return config.endpoint() == null ? "AWS " + config.region() : config.endpoint().toString();
    }

    private String describe(String key) {
        return "'" + key + "' in blob store '" + name + "' (" + endpoint() + ", bucket " + config.bucket() + ")";
    }

    private BlobStoreException failure(String operation, String key, SdkException e) {
        return new BlobStoreException(operation + " of " + describe(key) + " failed: " + e.getMessage(), e);
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }
}
