package dev.crosspost.media.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.crosspost.media.Ffmpeg;
import dev.crosspost.system.SystemSettings;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.URI;


@Configuration(proxyBeanMethods = false)
class MediaConfiguration {

    static final String SWEEP_TASK = "media-sweep";

    @Bean
    FfmpegRunner ffmpegRunner(SystemSettings system, MediaSettings settings) {
        Ffmpeg ffmpeg = Ffmpeg.locate(system.dataDir().resolve("tools"));
        return new FfmpegRunner(ffmpeg, settings.ffmpeg().concurrency(), settings.ffmpeg().timeout());
    }

    @Bean
    MediaWork mediaWork(SystemSettings system, FfmpegRunner runner, ApplicationEventPublisher events) {
        return new MediaWork(system.dataDir().toAbsolutePath().normalize().resolve("tmp").resolve("media"), runner, events);
    }

    @Bean
    Storage mediaStorage(SystemSettings system, MediaSettings settings) throws IOException {
        if (settings.storage().backend().equals("local")) {
            return new LocalStorage(system.dataDir().resolve("media").resolve("objects"));
        }
        return s3Storage(settings.storage().s3());
    }

    static S3Storage s3Storage(MediaSettings.S3 s3) {
        if (s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalStateException("crosspost.media.storage.s3.bucket must be set for the s3 backend");
        }
        AwsCredentialsProvider credentials = s3.accessKey() != null && s3.secretKey() != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration config = S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyle()).build();
        // checksums only where S3 requires them: many S3-compatible servers reject the SDK's default trailing checksums
        var client = S3Client.builder().region(Region.of(s3.region()))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials).serviceConfiguration(config);
        var presigner = S3Presigner.builder().region(Region.of(s3.region())).credentialsProvider(credentials).serviceConfiguration(config);
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            client.endpointOverride(URI.create(s3.endpoint()));
            presigner.endpointOverride(URI.create(s3.endpoint()));
        }
        return new S3Storage(client.build(), presigner.build(), s3.bucket(), s3.partSize().toBytes());
    }

    @Bean
    RecurringTask<Void> mediaSweepTask(MediaSweeper sweeper, MediaSettings settings) {
        return Tasks.recurring(SWEEP_TASK, FixedDelay.of(settings.sweepInterval()))
                .execute((instance, context) -> sweeper.sweep());
    }

}
