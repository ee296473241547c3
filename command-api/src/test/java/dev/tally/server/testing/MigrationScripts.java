package dev.tally.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The versioned Flyway migrations on the test classpath: what a migrated database must have applied. */
public final class MigrationScripts {

    private MigrationScripts() {
    }

    /** Each migration's version as Flyway records it ({@code 20260101.1200}), with its file name. */
    public static Map<String, String> byVersion() {
        Map<String, String> scripts = new TreeMap<>();
        try {
            for (Resource script : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/**/V*.sql")) {
                String name = script.getFilename();
                scripts.put(name.substring(1, name.indexOf("__")).replace('_', '.'), name);
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return scripts;
    }
}
