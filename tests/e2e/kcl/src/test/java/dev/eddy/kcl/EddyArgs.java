package dev.eddy.kcl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Extra command-line arguments for the eddy a test class runs against. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface EddyArgs {
    String[] value();
}
