/// kprov's version, sent in `User-Agent` and shown by `kprov --version`.
public enum KprovVersion {
    /// The version, as `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
