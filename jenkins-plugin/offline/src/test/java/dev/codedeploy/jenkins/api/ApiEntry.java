package dev.codedeploy.jenkins.api;

/**
 * One line of the signature list: a type, one of its supertypes, or one of its members.
 *
 * @param key       what is declared: {@code hudson.AbortException} (the type), {@code hudson.AbortException:extends}
 *                  (its superclass), {@code hudson.AbortException:implements java.io.Serializable} (an interface),
 *                  {@code hudson.EnvVars#<init>(java.util.Map)} (a constructor, with its erased parameter types),
 *                  {@code hudson.util.Secret#getPlainText()} (a method), {@code hudson.model.Descriptor#clazz} (a field
 *                  or an enum constant)
 * @param signature the declaration with fully qualified types: modifiers, type parameters, type, parameters, exceptions
 * @param source    where it was read: {@code repository@tag:path}
 */
record ApiEntry(String key, String signature, String source) {

    /** The type a key belongs to. */
    String type() {
        int end = key.length();
        for (char c : new char[] {':', '#'}) {
            int i = key.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return key.substring(0, end);
    }

    /** The line in the list file. */
    String line() {
        return key + "\t" + signature + "\t" + source;
    }

    /** Parses a line of the list file. */
    static ApiEntry parse(String line) {
        String[] parts = line.split("\t");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a signature line has key<TAB>signature<TAB>source, got: " + line);
        }
        return new ApiEntry(parts[0], parts[1], parts[2]);
    }
}
