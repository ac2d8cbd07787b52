package dev.codedeploy.blob;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * {@link BlobStore} over one S3 bucket with the AWS SDK v2. Files above the multipart threshold are uploaded in
 * parts, several at once; checksums are only computed when the protocol requires them, which S3Proxy needs.
 */
public final class S3BlobStore implements BlobStore {

    private final String name;
    private final BlobStoreConfig config;
    private final S3Client s3;
    private final ExecutorService partUploads;

    /** A store named {@code name} (for messages) over the bucket of {@code config}. */
    public S3BlobStore(String name, BlobStoreConfig config) {
        this.name = name;
        this.config = config;
        this.s3 = client(config);
        this.partUploads = Executors.newFixedThreadPool(config.uploadThreads(), r -> {
            Thread t = new Thread(r, "s3-part-upload-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static S3Client client(BlobStoreConfig config) {
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

    /** The SDK client, for operations the interface does not cover (server-side copy). */
    public S3Client client() {
        return s3;
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
        String uploadId = s3.createMultipartUpload(b -> b.bucket(config.bucket()).key(key).metadata(metadata)).uploadId();
        try {
            long partSize = config.partSize();
            int parts = (int) ((size + partSize - 1) / partSize);
            List<Future<CompletedPart>> futures = new ArrayList<>(parts);
            for (int i = 0; i < parts; i++) {
                int partNumber = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, size - offset);
                futures.add(partUploads.submit(() -> uploadPart(key, uploadId, partNumber, file, offset, length)));
            }
            List<CompletedPart> completed = new ArrayList<>(parts);
            for (Future<CompletedPart> f : futures) {
                completed.add(f.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(key, uploadId);
            throw new BlobStoreException("upload of " + describe(key) + " interrupted", e);
        } catch (ExecutionException e) {
            abort(key, uploadId);
            Throwable cause = e.getCause();
            if (cause instanceof SdkException sdk) {
                throw failure("upload", key, sdk);
            }
            throw new BlobStoreException("upload of " + describe(key) + " failed: " + cause, cause);
        } catch (RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int partNumber, Path file, long offset, long length) {
        String etag = s3.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(length),
                RequestBody.fromContentProvider(() -> openRange(file, offset, length), length, "application/octet-stream")).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
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

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the store is probably down; a lifecycle rule cleans abandoned uploads
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
            throw new BlobStoreException("blob store '" + name + "': bucket '" + config.bucket() + "' does not exist at " + endpoint());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new BlobStoreException("blob store '" + name + "': bucket '" + config.bucket() + "' does not exist at " + endpoint());
            }
            throw new BlobStoreException("blob store '" + name + "' at " + endpoint() + " refused access to bucket '"
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
