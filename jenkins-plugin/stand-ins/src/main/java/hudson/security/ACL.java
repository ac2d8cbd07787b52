package hudson.security;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** Stand-in of jenkins-core's {@code hudson.security.ACL}: here only the system's authentication. */
public abstract class ACL {

    /** The system itself: sees every credential, {@code SYSTEM} scope included. */
    public static final Authentication SYSTEM2 = new UsernamePasswordAuthenticationToken("SYSTEM", "SYSTEM");
}
