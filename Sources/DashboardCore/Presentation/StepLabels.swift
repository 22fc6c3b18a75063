/// The human labels Koyeb's console gives build steps.
public enum StepLabels {
    private static let labels: [String: String] = [
        "start-docker": "Start Docker",
        "archive-clone": "Retrieve archive",
        "git-clone": "Clone repository",
        "analyze": "Analyze",
        "detect": "Detect runtime",
        "restore": "Restore build cache",
        "build": "Build",
        "export": "Export docker image",
    ]

    /// The label for step `name`; the name itself when Koyeb's console has no label for it.
    public static func label(for name: String) -> String { labels[name] ?? name }

    /// The step names the console has a label for.
    public static var knownNames: [String] { Array(labels.keys) }

    /// Whether the console has a label for `name`.
    public static func isKnown(_ name: String) -> Bool { labels[name] != nil }

    /// The steps Koyeb usually plans for a build, in order.
    public static let usualBuildSteps = ["git-clone", "detect", "restore", "build", "export"]
}
