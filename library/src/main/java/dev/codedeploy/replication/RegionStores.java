package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.blob.BlobStoreRefusedException;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.RegionConfig;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The master blob store and the store of every configured region, by region name. */
public final class RegionStores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegionStores.class);

    private final S3BlobStore master;
    private final Map<String, S3BlobStore> regions;
    private final boolean owned;

    private RegionStores(S3BlobStore master, Map<String, S3BlobStore> regions, boolean owned) {
        this.master = master;
        this.regions = Collections.unmodifiableMap(new TreeMap<>(regions));
        this.owned = owned;
    }

    /**
     * Opens a client for the master and for each region.
     *
     * @throws ConfigException naming the region whose endpoint is not an http(s) URL
     */
    public static RegionStores open(BlobStoreConfig master, List<RegionConfig> regions) {
        checkEndpoint("master", master);
        regions.forEach(r -> checkEndpoint("region '" + r.name() + "'", r.blobStore()));
        Map<String, S3BlobStore> stores = new LinkedHashMap<>();
        for (RegionConfig region : regions) {
            stores.put(region.name(), new S3BlobStore(region.name(), region.blobStore()));
        }
        return new RegionStores(new S3BlobStore("master", master), stores, true);
    }

    /** Stores made by the caller, who closes them (tests, the sandbox). */
    public static RegionStores of(S3BlobStore master, Map<String, S3BlobStore> regions) {
        return new RegionStores(master, regions, false);
    }

    private static void checkEndpoint(String what, BlobStoreConfig config) {
        URI endpoint = config.endpoint();
        if (endpoint != null && (endpoint.getHost() == null || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
            throw new ConfigException(what + ": blobStore.endpoint '" + endpoint + "' is not an http(s) URL with a host");
        }
    }

    /** The master store. */
    public S3BlobStore master() {
        return master;
    }

    /** The store of {@code region}. */
    public S3BlobStore region(String region) {
        S3BlobStore store = regions.get(region);
        if (store == null) {
            throw new IllegalArgumentException("region '" + region + "' is not configured; configured: " + regions.keySet());
        }
        return store;
    }

    /** The configured regions, sorted. */
    public Set<String> names() {
        return regions.keySet();
    }

    /**
     * True when {@code region}'s bucket is reachable with the master's endpoint and keys, so that S3 can copy between
     * them without the bytes passing through this process.
     */
    public boolean sharesEndpointWithMaster(String region) {
        return region(region).copiesServerSideFrom(master);
    }

    /**
     * Checks the master and every region at start-up.
     *
     * @return the regions that cannot be reached now (down: they are retried while the others replicate)
     * @throws ConfigException naming the store when its bucket is missing, access is refused or its host is unknown:
     *                         a configuration error, not an outage
     */
    public List<String> checkAtStartUp() {
        List<String> down = new ArrayList<>();
        if (!check("master", master)) {
            log.warn("the master blob store cannot be reached now; replication waits for it");
        }
        for (Map.Entry<String, S3BlobStore> e : regions.entrySet()) {
            if (!check("region '" + e.getKey() + "'", e.getValue())) {
                down.add(e.getKey());
            }
        }
        return down;
    }

    private static boolean check(String what, S3BlobStore store) {
        try {
            store.checkReachable();
            return true;
        } catch (BlobStoreException e) {
            if (isMisconfiguration(e)) {
                throw new ConfigException(what + " is misconfigured (" + store.config() + "): " + e.getMessage());
            }
            log.warn("{} is down at start-up: {}", what, e.getMessage());
            return false;
        }
    }

    /** A missing bucket, a refusal by the store, or an unknown host: the configuration is wrong, waiting will not help. */
    static boolean isMisconfiguration(BlobStoreException e) {
        if (e instanceof BlobStoreRefusedException) {
            return true;
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (owned) {
            regions.values().forEach(S3BlobStore::close);
            master.close();
        }
    }
}
