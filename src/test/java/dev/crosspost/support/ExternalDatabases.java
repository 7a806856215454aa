package dev.crosspost.support;

/** Derives a JDBC URL for another database on the server of {@code CROSSPOST_TEST_PG_URL}. */
public final class ExternalDatabases {
    private ExternalDatabases() {
    }

    public static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String server = slash < 0 ? base : base.substring(0, slash);
        return server + "/" + database + query;
    }
}
