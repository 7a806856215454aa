package dev.crosspost.system.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.springframework.boot.logging.logback.StructuredLogEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Wraps Boot's structured JSON encoder, or a text pattern, and masks secrets in every encoded line,
 * so that messages, MDC fields and stack traces all pass through the {@link Redactor}.
 */
public class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private String format = "json";
    private String jsonFormat = "logstash";
    private String pattern = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p [%X{requestId:-}] %logger{36} : %m%n%wEx";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setJsonFormat(String jsonFormat) {
        this.jsonFormat = jsonFormat;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if ("text".equalsIgnoreCase(format)) {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            text.setCharset(StandardCharsets.UTF_8);
            delegate = text;
        } else {
            StructuredLogEncoder json = new StructuredLogEncoder();
            json.setFormat(jsonFormat);
            json.setCharset(StandardCharsets.UTF_8);
            delegate = json;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = new String(delegate.encode(event), StandardCharsets.UTF_8);
        return Redactor.redact(line).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
