package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import dev.codedeploy.jenkins.standins.StandInCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Run;
import java.util.List;

/**
 * Stand-in of the credentials plugin's {@code CredentialsProvider}: the one lookup the plugin uses. Here it reads the
 * credentials a test registered with {@link StandInCredentials}; in Jenkins it searches the stores visible to the run's
 * job, as the user who started the run.
 */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

    @SuppressWarnings("unchecked")
    public CredentialsProvider() {
        super(self());
    }

    /**
     * The credential with this id and type that {@code run} may use.
     *
     * @return the credential, or null when it does not exist, has another type, or is not permitted
     */
    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(@NonNull String id, @NonNull Class<C> type,
                                                                 @NonNull Run<?, ?> run,
                                                                 @Nullable List<DomainRequirement> domainRequirements) {
        return StandInCredentials.find(id, type);
    }
}
