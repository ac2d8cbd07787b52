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
import hudson.model.ItemGroup;
import hudson.model.Run;
import java.util.List;
import org.springframework.security.core.Authentication;

/**
 * Stand-in of the credentials plugin's {@code CredentialsProvider}: the two lookups by id the plugin uses. Here they
 * read the credentials a test registered with {@link StandInCredentials}, with the visibility of the real ones: a
 * build sees {@link CredentialsScope#GLOBAL} credentials, never {@link CredentialsScope#SYSTEM} ones; the system
 * ({@code ACL.SYSTEM2}) looking in Jenkins itself sees both.
 */
public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {

    @SuppressWarnings("unchecked")
    public CredentialsProvider() {
        super(self());
    }

    /**
     * The credential with this id and type that {@code authentication} may use for the items of {@code itemGroup}.
     *
     * @param itemGroup      null for Jenkins itself (the only group the stand-in has)
     * @param authentication null for the system
     * @return the credential, or null when it does not exist, has another type, or is not visible
     */
    @CheckForNull
    public static <C extends IdCredentials> C findCredentialByIdInItemGroup(@NonNull String id, @NonNull Class<C> type,
                                                                            @Nullable ItemGroup<?> itemGroup,
                                                                            @Nullable Authentication authentication,
                                                                            @Nullable List<DomainRequirement> domainRequirements) {
        return StandInCredentials.findInJenkins(id, type, authentication);
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
        return StandInCredentials.findForBuild(id, type);
    }
}
