package dev.codedeploy.jenkins.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Compares the stand-ins with the real Jenkins API. A stand-in may omit types, members and interfaces; what it
 * declares must be in the list exactly as in the real source: the same modifiers, type parameters, superclass,
 * parameter types, return type and exceptions. Every member the plugin uses must be in the list too.
 */
final class StandInCheck {

    private StandInCheck() {
    }

    /**
     * What differs, one line per problem; empty when the stand-ins agree with the list.
     *
     * @param standIns   the stand-ins' signature lines
     * @param real       the list, by key
     * @param pluginUses the keys of what the plugin uses
     */
    static List<String> problems(Collection<ApiEntry> standIns, Map<String, ApiEntry> real, Collection<String> pluginUses) {
        List<String> problems = new ArrayList<>();
        for (ApiEntry standIn : standIns) {
            ApiEntry listed = real.get(standIn.key());
            if (listed == null) {
                problems.add(standIn.source() + ": " + what(standIn.key()) + " is not in the real API (no " + standIn.key()
                        + " in the list): " + standIn.signature());
            } else if (!listed.signature().equals(standIn.signature())) {
                problems.add(standIn.source() + ": " + what(standIn.key()) + " differs from " + listed.source()
                        + "\n    stand-in: " + standIn.signature() + "\n    real:     " + listed.signature());
            }
        }
        for (String used : pluginUses) {
            if (!real.containsKey(used)) {
                problems.add("the plugin uses " + used + ", which the list of the real API lacks");
            }
        }
        return problems;
    }

    private static String what(String key) {
        if (key.contains("#")) {
            return "the member " + key;
        }
        if (key.endsWith(":extends")) {
            return "the superclass of " + key.substring(0, key.indexOf(':'));
        }
        if (key.contains(":super ")) {
            return "the supertype " + key.substring(key.indexOf(":super ") + 7) + " of " + key.substring(0, key.indexOf(':'));
        }
        return "the type " + key;
    }
}
