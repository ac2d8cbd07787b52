package dev.codedeploy.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = CodeDeployCli.class.getPackage().getImplementationVersion();
        return new String[] {"codedeploy " + (version == null ? "development build" : version)};
    }
}
