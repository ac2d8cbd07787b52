package dev.codedeploy;

/**
 * Where one region stands at the end of a deploy.
 *
 * @param region  the region
 * @param hosts   hosts that report in the region
 * @param onBuild hosts whose {@code current} is the deployed build
 * @param healthy hosts on the build and healthy
 * @param failed  hosts that failed or rolled back
 */
public record RegionResult(String region, int hosts, int onBuild, int healthy, int failed) {
}
