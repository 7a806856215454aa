package dev.crosspost.publishing.adapter;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.crosspost.publishing.adapter.bluesky.BlueskyMetricsReader;
import dev.crosspost.publishing.adapter.http.AdapterHttp;
import dev.crosspost.publishing.adapter.instagram.InstagramMetricsReader;
import dev.crosspost.publishing.adapter.pinterest.PinterestMetricsReader;
import dev.crosspost.publishing.adapter.tiktok.TikTokMetricsReader;
import dev.crosspost.publishing.adapter.x.XMetricsReader;
import dev.crosspost.publishing.adapter.youtube.YouTubeMetricsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each platform's metrics reader against WireMock stubs written from the platforms' API references: the counts
 * mapped to Crosspost's names, a deleted post as {@code Gone}, and throttling in each platform's own shape as
 * {@code RetryLater} with the platform's wait.
 */
class MetricsReadersWireMockTests {

    private static final String TOKEN = "user-token";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final WireMockExtension server = AdapterTestSupport.stubServer();

    private MetricsRequest request(String postId) {
        return new MetricsRequest(postId, TOKEN, "user-1", null, Duration.ofSeconds(5));
    }

    // --- X

    private XMetricsReader x() {
        return new XMetricsReader(server::baseUrl, AdapterHttp.client(), JSON, CLOCK);
    }

    @Test
    void xReadsPublicMetrics() {
        server.stubFor(get(urlPathEqualTo("/2/tweets")).withQueryParam("ids", equalTo("1460323737035677698"))
                .withQueryParam("tweet.fields", equalTo("public_metrics")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("""
                        {"data":[{"id":"1460323737035677698","text":"Introducing a new era","edit_history_tweet_ids":["1460323737035677698"],
                          "public_metrics":{"retweet_count":7,"reply_count":3,"like_count":42,"quote_count":1,"bookmark_count":2,
                          "impression_count":1500}}]}""")));

        assertThat(x().fetch(request("1460323737035677698"))).isEqualTo(new MetricsResult.Metrics(Map.of("reposts", 7L, "replies", 3L,
                "likes", 42L, "quotes", 1L, "bookmarks", 2L, "impressions", 1500L)));
    }

    @Test
    void xDeletedPostIsGoneAnd429WaitsUntilTheReset() {
        server.stubFor(get(urlPathEqualTo("/2/tweets")).withQueryParam("ids", equalTo("1")).willReturn(okJson("""
                {"errors":[{"value":"1","detail":"Could not find tweet with ids: [1].","title":"Not Found Error","resource_type":"tweet",
                  "parameter":"ids","resource_id":"1","type":"https://api.twitter.com/2/problems/resource-not-found"}]}""")));
        server.stubFor(get(urlPathEqualTo("/2/tweets")).withQueryParam("ids", equalTo("2")).willReturn(aResponse().withStatus(429)
                .withHeader("x-rate-limit-remaining", "0").withHeader("x-rate-limit-reset", Long.toString(NOW.getEpochSecond() + 300))
                .withHeader("Content-Type", "application/json").withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"status\":429}")));

        assertThat(x().fetch(request("1"))).isInstanceOf(MetricsResult.Gone.class);
        assertThat(x().fetch(request("2"))).isInstanceOfSatisfying(MetricsResult.RetryLater.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(300)));
    }

    // --- Instagram

    private InstagramMetricsReader instagram() {
        return new InstagramMetricsReader(server::baseUrl, AdapterHttp.client(), JSON, CLOCK, "v21.0");
    }

    @Test
    void instagramReadsInsights() {
        server.stubFor(get(urlPathEqualTo("/v21.0/17895695668004550/insights"))
                .withQueryParam("metric", equalTo("views,reach,likes,comments,shares,saved")).withQueryParam("access_token", equalTo(TOKEN))
                .willReturn(okJson("""
                        {"data":[
                          {"name":"views","period":"lifetime","values":[{"value":900}],"title":"Views","id":"17895695668004550/insights/views/lifetime"},
                          {"name":"reach","period":"lifetime","values":[{"value":700}],"title":"Accounts reached"},
                          {"name":"likes","period":"lifetime","values":[{"value":50}]},
                          {"name":"comments","period":"lifetime","values":[{"value":4}]},
                          {"name":"shares","period":"lifetime","values":[{"value":6}]},
                          {"name":"saved","period":"lifetime","total_value":{"value":9}}]}""")));

        assertThat(instagram().fetch(request("17895695668004550"))).isEqualTo(new MetricsResult.Metrics(Map.of("views", 900L, "reach", 700L,
                "likes", 50L, "comments", 4L, "shares", 6L, "saves", 9L)));
    }

    @Test
    void instagramUnknownMediaIsGoneAndThrottlingWaitsAsTheUsageHeaderSays() {
        server.stubFor(get(urlPathEqualTo("/v21.0/1/insights")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error":{"message":"Unsupported get request. Object with ID '1' does not exist","type":"GraphMethodException",
                          "code":100,"error_subcode":33,"fbtrace_id":"Ab"}}""")));
        server.stubFor(get(urlPathEqualTo("/v21.0/2/insights")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withHeader("X-Business-Use-Case-Usage", "{\"1784\":[{\"type\":\"instagram\",\"call_count\":100,\"total_cputime\":10,\"total_time\":10,\"estimated_time_to_regain_access\":7}]}")
                .withBody("{\"error\":{\"message\":\"(#4) Application request limit reached\",\"type\":\"OAuthException\",\"code\":4,\"is_transient\":true}}")));

        assertThat(instagram().fetch(request("1"))).isInstanceOf(MetricsResult.Gone.class);
        assertThat(instagram().fetch(request("2"))).isInstanceOfSatisfying(MetricsResult.RetryLater.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofMinutes(7)));
    }

    // --- YouTube

    private YouTubeMetricsReader youtube() {
        return new YouTubeMetricsReader(server::baseUrl, AdapterHttp.client(), JSON, CLOCK);
    }

    @Test
    void youtubeReadsStatisticsGivenAsStrings() {
        server.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("part", equalTo("statistics"))
                .withQueryParam("id", equalTo("Ks-_Mh1QhMc")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("""
                        {"kind":"youtube#videoListResponse","items":[{"kind":"youtube#video","id":"Ks-_Mh1QhMc",
                          "statistics":{"viewCount":"12345","likeCount":"678","favoriteCount":"0","commentCount":"90"}}],
                          "pageInfo":{"totalResults":1,"resultsPerPage":1}}""")));

        assertThat(youtube().fetch(request("Ks-_Mh1QhMc"))).isEqualTo(new MetricsResult.Metrics(Map.of("views", 12345L, "likes", 678L,
                "comments", 90L)));
    }

    @Test
    void youtubeUnlistedVideoIsGoneAndQuotaExceededWaits() {
        server.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo("gone1"))
                .willReturn(okJson("{\"kind\":\"youtube#videoListResponse\",\"items\":[],\"pageInfo\":{\"totalResults\":0,\"resultsPerPage\":0}}")));
        server.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).withQueryParam("id", equalTo("quota1")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"code":403,"message":"The request cannot be completed because you have exceeded your quota.",
                          "errors":[{"message":"quota","domain":"youtube.quota","reason":"quotaExceeded"}]}}""")));

        assertThat(youtube().fetch(request("gone1"))).isInstanceOf(MetricsResult.Gone.class);
        assertThat(youtube().fetch(request("quota1"))).isInstanceOfSatisfying(MetricsResult.RetryLater.class,
                r -> assertThat(r.reason()).contains("exceeded your quota"));
    }

    // --- TikTok

    private TikTokMetricsReader tiktok() {
        return new TikTokMetricsReader(server::baseUrl, AdapterHttp.client(), JSON, CLOCK);
    }

    @Test
    void tiktokQueriesTheVideo() {
        server.stubFor(post(urlPathEqualTo("/v2/video/query/")).withQueryParam("fields", equalTo("id,view_count,like_count,comment_count,share_count"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"filters\":{\"video_ids\":[\"7080213458555737351\"]}}"))
                .willReturn(okJson("""
                        {"data":{"videos":[{"id":"7080213458555737351","view_count":5000,"like_count":300,"comment_count":20,"share_count":11}],
                          "cursor":0,"has_more":false},"error":{"code":"ok","message":"","log_id":"202206"}}""")));

        assertThat(tiktok().fetch(request("7080213458555737351"))).isEqualTo(new MetricsResult.Metrics(Map.of("views", 5000L, "likes", 300L,
                "comments", 20L, "shares", 11L)));
    }

    @Test
    void tiktokMissingVideoIsGoneAndRateLimitWaits() {
        server.stubFor(post(urlPathEqualTo("/v2/video/query/")).withRequestBody(equalToJson("{\"filters\":{\"video_ids\":[\"1\"]}}"))
                .willReturn(okJson("{\"data\":{\"videos\":[],\"cursor\":0,\"has_more\":false},\"error\":{\"code\":\"ok\",\"message\":\"\"}}")));
        server.stubFor(post(urlPathEqualTo("/v2/video/query/")).withRequestBody(equalToJson("{\"filters\":{\"video_ids\":[\"2\"]}}"))
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withHeader("Retry-After", "45")
                        .withBody("{\"data\":{},\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"The API rate limit was exceeded.\"}}")));

        assertThat(tiktok().fetch(request("1"))).isInstanceOf(MetricsResult.Gone.class);
        assertThat(tiktok().fetch(request("2"))).isInstanceOfSatisfying(MetricsResult.RetryLater.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(45)));
    }

    // --- Pinterest

    private PinterestMetricsReader pinterest() {
        return new PinterestMetricsReader(server::baseUrl, AdapterHttp.client(), JSON, CLOCK);
    }

    @Test
    void pinterestReadsLifetimeMetricsOverTheLast90Days() {
        server.stubFor(get(urlPathEqualTo("/v5/pins/813744226420795884/analytics")).withQueryParam("start_date", equalTo("2025-12-01"))
                .withQueryParam("end_date", equalTo("2026-03-01")).withQueryParam("metric_types", equalTo("IMPRESSION,SAVE,PIN_CLICK,OUTBOUND_CLICK"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(okJson("""
                        {"all":{"daily_metrics":[{"data_status":"READY","date":"2026-03-01","metrics":{"IMPRESSION":10}}],
                          "lifetime_metrics":{"IMPRESSION":2000,"SAVE":40,"PIN_CLICK":120,"OUTBOUND_CLICK":33},
                          "summary_metrics":{"IMPRESSION":1900,"SAVE":39,"PIN_CLICK":110,"OUTBOUND_CLICK":30}}}""")));

        assertThat(pinterest().fetch(request("813744226420795884"))).isEqualTo(new MetricsResult.Metrics(Map.of("impressions", 2000L,
                "saves", 40L, "clicks", 120L, "outbound_clicks", 33L)));
    }

    @Test
    void pinterestDeletedPinIsGoneAndA5xxRetries() {
        server.stubFor(get(urlPathEqualTo("/v5/pins/1/analytics")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"code\":50,\"message\":\"Pin not found.\"}")));
        server.stubFor(get(urlPathEqualTo("/v5/pins/2/analytics")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "20")
                .withHeader("Content-Type", "application/json").withBody("{\"code\":3,\"message\":\"Service unavailable.\"}")));

        assertThat(pinterest().fetch(request("1"))).isInstanceOf(MetricsResult.Gone.class);
        assertThat(pinterest().fetch(request("2"))).isInstanceOfSatisfying(MetricsResult.RetryLater.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(20)));
    }

    // --- Bluesky

    private BlueskyMetricsReader bluesky() {
        return new BlueskyMetricsReader(() -> "http://127.0.0.1:1", AdapterHttp.client(), JSON, CLOCK);
    }

    @Test
    void blueskyAsksTheAccountsPdsForTheCounts() {
        String uri = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l";
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.feed.getPosts")).withQueryParam("uris", equalTo(uri))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)).willReturn(okJson("""
                        {"posts":[{"uri":"%s","cid":"bafyrei","author":{"did":"did:plc:z72i7hdynmk6r22z27h6tvur","handle":"bsky.app"},
                          "record":{"$type":"app.bsky.feed.post","text":"hi","createdAt":"2026-02-28T10:00:00Z"},
                          "replyCount":5,"repostCount":12,"likeCount":99,"quoteCount":2,"indexedAt":"2026-02-28T10:00:01Z"}]}""".formatted(uri))));

        MetricsRequest onPds = new MetricsRequest(uri, TOKEN, "did:plc:z72i7hdynmk6r22z27h6tvur", server.baseUrl() + "/", Duration.ofSeconds(5));
        assertThat(bluesky().fetch(onPds)).isEqualTo(new MetricsResult.Metrics(Map.of("likes", 99L, "reposts", 12L, "replies", 5L, "quotes", 2L)));
    }

    @Test
    void blueskyDeletedPostIsGoneAnd429WaitsUntilRateLimitReset() {
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.feed.getPosts")).withQueryParam("uris", equalTo("at://did:plc:a/app.bsky.feed.post/1"))
                .willReturn(okJson("{\"posts\":[]}")));
        server.stubFor(get(urlPathEqualTo("/xrpc/app.bsky.feed.getPosts")).withQueryParam("uris", equalTo("at://did:plc:a/app.bsky.feed.post/2"))
                .willReturn(aResponse().withStatus(429).withHeader("RateLimit-Reset", Long.toString(NOW.getEpochSecond() + 90))
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}")));

        assertThat(bluesky().fetch(new MetricsRequest("at://did:plc:a/app.bsky.feed.post/1", TOKEN, "did:plc:a", server.baseUrl(), Duration.ofSeconds(5))))
                .isInstanceOf(MetricsResult.Gone.class);
        assertThat(bluesky().fetch(new MetricsRequest("at://did:plc:a/app.bsky.feed.post/2", TOKEN, "did:plc:a", server.baseUrl(), Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(MetricsResult.RetryLater.class, r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(90)));
    }

    // --- shared

    @Test
    void unreachableOrUnreadableAnswersAreRetriedLater() {
        XMetricsReader nowhere = new XMetricsReader(() -> "http://127.0.0.1:1", AdapterHttp.client(), JSON, CLOCK);
        assertThat(nowhere.fetch(request("1"))).isInstanceOf(MetricsResult.RetryLater.class);

        server.stubFor(get(urlPathEqualTo("/youtube/v3/videos")).willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        assertThat(youtube().fetch(request("x"))).isInstanceOf(MetricsResult.RetryLater.class);
    }
}
