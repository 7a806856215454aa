package dev.crosspost.sandbox;

import dev.crosspost.system.net.ReservedDomains;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * While the sandbox runs, the RFC 2606 example domains serve bundled media, so sample data linking
 * {@code https://cdn.example.com/…} (products.csv, the demo campaign) works on an offline machine. The URL's file
 * extension picks the kind: the bundled file of the same name under {@code sandbox/example-media/} when there is one
 * (the product images), else that kind's sample (a 5 s 360×640 H.264/AAC clip for videos); other extensions are 404.
 */
@Component
@SandboxEnabled
class ExampleDomainMedia implements ReservedDomains {

    private static final String DIR = "sandbox/example-media/";
    /** URL extension → the bundled files' extension. */
    private static final Map<String, String> KINDS = Map.of("jpg", "jpg", "jpeg", "jpg", "png", "png", "webp", "webp",
            "mp4", "mp4", "mov", "mov");
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

    @Override
    public Answer answer(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String file = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dot = file.lastIndexOf('.');
        String kind = dot < 0 ? null : KINDS.get(file.substring(dot + 1));
        if (kind == null) {
            return new Answer(404, new byte[0]);
        }
        String name = file.substring(0, dot);
        ClassPathResource media = new ClassPathResource(DIR + "sample." + kind);
        if (NAME.matcher(name).matches() && new ClassPathResource(DIR + name + "." + kind).exists()) {
            media = new ClassPathResource(DIR + name + "." + kind);
        }
        try {
            return new Answer(200, media.getContentAsByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled " + media.getPath() + " cannot be read", e);
        }
    }
}
