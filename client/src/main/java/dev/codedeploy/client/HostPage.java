package dev.codedeploy.client;

import java.util.List;

/**
 * A page of an environment's hosts, worst first: failed, rolled back, switching, downloading, on another build,
 * verified, healthy, idle; then by host id.
 *
 * @param total  hosts that match the query, over all pages
 * @param offset where this page starts among them
 * @param items  the hosts of this page
 */
public record HostPage(int total, int offset, List<Host> items) {

    public HostPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
