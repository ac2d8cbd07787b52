package dev.codedeploy.jenkins;

/**
 * A secret read from Jenkins credentials.
 *
 * @param user   the user name, or null for "Secret text" credentials
 * @param secret the password, key or token
 */
record Credential(String user, String secret) {

    @Override
    public String toString() {
        return "Credential[user=" + user + ", secret=****]";
    }
}
