package org.ablate.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link Parameters} a component receives at creation: its own, already scoped (for
 * {@code sketch: osnap} with {@code sketch.s: 8} the OSNAP instance sees {@code s = 8}).
 *
 * <pre>{@code
 * public final class OsnapSketch implements Sketch {
 *     private final int s;
 *
 *     @Inject
 *     public OsnapSketch(@ComponentParams Parameters params) {
 *         this.s = params.getInt("s");
 *     }
 * }
 * }</pre>
 *
 * A component without parameters needs no constructor at all; one may also inject
 * {@link ComponentRegistry}, {@link SharedCache} or anything a plugin module binds.
 */
@jakarta.inject.Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface ComponentParams {
}
