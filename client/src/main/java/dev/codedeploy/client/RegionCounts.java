package dev.codedeploy.client;

/**
 * Where one region's hosts stand with a deploy's build.
 *
 * @param region  the region
 * @param hosts   hosts that report in the region
 * @param onBuild hosts whose {@code current} is the build
 * @param healthy hosts on the build and healthy
 * @param failed  hosts that failed or rolled back
 */
public record RegionCounts(String region, int hosts, int onBuild, int healthy, int failed) {
}
