package dev.eddy.kcl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test class's SDK clients speak JSON (application/x-amz-json-1.1) instead of the Java SDK's default
 * CBOR, as with {@code -Daws.cborEnabled=false}, which many KCL users set for emulators.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface CborDisabled {}
