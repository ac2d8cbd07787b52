package hudson;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import net.java.sezpoz.Indexable;

/**
 * Stand-in of jenkins-core's {@code hudson.Extension}: the same members and the same real {@link Indexable}, so that
 * compiling with sezpoz writes {@code META-INF/annotations/hudson.Extension} exactly as for Jenkins.
 */
@Indexable
@Retention(RUNTIME)
@Target({TYPE, FIELD, METHOD})
@Documented
public @interface Extension {

    /** Extensions are sorted in descending order of the ordinal. */
    double ordinal() default 0;

    /** When true, class loading errors of this extension are not logged. */
    boolean optional() default false;
}
