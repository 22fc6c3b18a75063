/// Limits shared by the servers kprov runs: the local Koyeb API and the adapters.
public enum ServerLimits {
    /// How long a connection may send nothing before it is closed: nginx's `keepalive_timeout`, longer than the
    /// idle timeout of client pools (60 s for kprov's, `KoyebClient.idleConnectionTimeout`, and AsyncHTTPClient's),
    /// so that clients close idle connections first.
    public static let connectionIdleTimeout = Duration.seconds(75)
}
