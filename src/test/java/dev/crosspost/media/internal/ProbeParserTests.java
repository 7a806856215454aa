package dev.crosspost.media.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ffmpeg -i} reports of FFmpeg 4.4, as the bundled static build prints them. */
class ProbeParserTests {

    @Test
    void readsARotatedPhoneVideo() {
        var probe = ProbeParser.parse(List.of(
                "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'r.mp4':",
                "  Duration: 00:01:02.50, start: 0.000000, bitrate: 357 kb/s",
                "  Stream #0:0(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 1920x1080 [SAR 1:1 DAR 16:9], 271 kb/s, 29.97 fps, 30 tbr, 12800 tbn, 50 tbc (default)",
                "    Metadata:",
                "      rotate          : 90",
                "    Side data:",
                "      displaymatrix: rotation of -90.00 degrees",
                "  Stream #0:1(und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 74 kb/s (default)",
                "Output #0, null, to 'pipe:':",
                "  Stream #0:0(und): Video: wrapped_avframe, yuv420p, 1080x1920, q=2-31, 200 kb/s, 29.97 fps"), true);

        assertThat(probe).isNotNull();
        assertThat(probe.durationSeconds()).isEqualTo(62.5);
        assertThat(probe.videoCodec()).isEqualTo("h264");
        assertThat(probe.videoProfile()).isEqualTo("High");
        assertThat(probe.width()).isEqualTo(1920);
        assertThat(probe.fps()).isEqualTo(29.97);
        assertThat(probe.rotation()).isEqualTo(90);
        assertThat(probe.displayWidth()).isEqualTo(1080);
        assertThat(probe.audioCodec()).isEqualTo("aac");
        assertThat(probe.audioSampleRate()).isEqualTo(48000);
        assertThat(probe.audioChannels()).isEqualTo(2);
        assertThat(probe.container()).isEqualTo("mov,mp4,m4a,3gp,3g2,mj2");
    }

    @Test
    void readsWebmAndImagesAndRotationFromTheMatrixAlone() {
        var webm = ProbeParser.parse(List.of(
                "Input #0, matroska,webm, from 'a.webm':",
                "  Duration: 00:00:01.00, start: 0.000000, bitrate: 16 kb/s",
                "  Stream #0:0: Video: vp9 (Profile 0), yuv420p(tv, progressive), 64x48, SAR 1:1 DAR 4:3, 10 fps, 10 tbr, 1k tbn, 1k tbc (default)",
                "    Side data:",
                "      displaymatrix: rotation of 90.00 degrees"), false);
        assertThat(webm.videoCodec()).isEqualTo("vp9");
        assertThat(webm.pixelFormat()).isEqualTo("yuv420p");
        assertThat(webm.height()).isEqualTo(48);
        assertThat(webm.rotation()).isEqualTo(270);
        assertThat(webm.audioCodec()).isNull();

        var png = ProbeParser.parse(List.of("Input #0, png_pipe, from 'a.png':", "  Duration: N/A, bitrate: N/A",
                "  Stream #0:0: Video: png, rgb24(pc), 64x48 [SAR 1:1 DAR 4:3], 25 fps, 25 tbr, 25 tbn, 25 tbc"), false);
        assertThat(png.videoCodec()).isEqualTo("png");
        assertThat(png.width()).isEqualTo(64);
        assertThat(png.durationSeconds()).isZero();

        assertThat(ProbeParser.parse(List.of("Input #0, wav, from 'a.wav':",
                "  Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 44100 Hz, mono, s16, 705 kb/s"), false)).isNull();
    }
}
