/// What builds look like on Koyeb: the stage and step names its console shows, step orders, messages, and how
/// steps fail. Seed data and the simulated builders both draw from here.
enum BuildCatalog {
    /// The stage every Koyeb build declares.
    static let stage = "build"

    /// The steps of one build, in order: buildpacks from git (the usual), buildpacks from an archive, or a
    /// Dockerfile.
    static func recipe(using random: inout SplitMix64) -> [String] {
        switch random.unit() {
        case ..<0.6: ["git-clone", "detect", "restore", "build", "export"]
        case ..<0.8: ["start-docker", "git-clone", "build", "export"]
        default: ["archive-clone", "analyze", "detect", "restore", "build", "export"]
        }
    }

    /// How long `step` realistically takes, in seconds.
    static func duration(of step: String, using random: inout SplitMix64) -> Double {
        switch step {
        case "build": random.uniform(25...180)
        case "export": random.uniform(5...30)
        case "restore": random.uniform(2...15)
        case "git-clone", "archive-clone": random.uniform(2...8)
        default: random.uniform(1...4)
        }
    }

    // MARK: - Messages

    /// What a step prints while running.
    static func runningMessages(of step: String, build: BuildContext) -> [String] {
        Array(completedMessages(of: step, build: build).prefix(1))
    }

    /// What a step prints when it completes.
    static func completedMessages(of step: String, build: BuildContext) -> [String] {
        let runtime = build.runtime
        switch step {
        case "start-docker": return ["Starting Docker daemon", "Docker daemon is ready"]
        case "git-clone":
            return ["Cloning into '/workspace'...", "HEAD is now at \(build.sha.prefix(7)) \(build.commitMessage)"]
        case "archive-clone": return ["Downloading the source archive", "Extracted the source archive"]
        case "analyze": return ["Analyzing the previous image", "Previous image found: reusing its layers"]
        case "detect": return ["Detected \(runtime.buildpack)"]
        case "restore": return ["Restoring the \(runtime.cache) cache", "Cache restored"]
        case "build": return runtime.buildLines + ["Build succeeded"]
        case "export": return ["Pushing \(build.image)", "Image pushed: sha256:\(build.digest)"]
        default: return ["\(step) done"]
        }
    }

    /// How `step` fails: its messages, and whether the failure is Koyeb's (`internal_failure`) and worth a new
    /// attempt (`retryable_failure`).
    static func failure(of step: String, build: BuildContext) -> BuildFailure {
        switch step {
        case "start-docker":
            BuildFailure(messages: ["Docker daemon did not start within 60s"], isInternal: true, isRetryable: true)
        case "git-clone":
            BuildFailure(
                messages: ["fatal: could not read Username for 'https://github.com': terminal prompts disabled"],
                isInternal: false, isRetryable: false)
        case "archive-clone":
            BuildFailure(messages: ["The source archive was not found"], isInternal: false, isRetryable: false)
        case "analyze":
            BuildFailure(
                messages: ["failed to analyze the previous image: registry answered 502"], isInternal: true,
                isRetryable: true)
        case "detect":
            BuildFailure(
                messages: ["No buildpack groups passed detection", "Check that the repository holds an application"],
                isInternal: false, isRetryable: false)
        case "restore":
            BuildFailure(
                messages: ["Failed to restore the cache: connection reset by peer"], isInternal: true,
                isRetryable: true)
        case "export":
            BuildFailure(
                messages: ["Failed to push \(build.image): 503 Service Unavailable"], isInternal: true,
                isRetryable: true)
        default:
            BuildFailure(messages: build.runtime.failureLines, isInternal: false, isRetryable: false)
        }
    }
}

/// How a step failed.
struct BuildFailure: Sendable, Hashable {
    var messages: [String]
    var isInternal: Bool
    var isRetryable: Bool
}

/// What one deployment's build is about, for its messages.
struct BuildContext: Sendable, Hashable {
    var sha: String
    var commitMessage: String
    var image: String
    var digest: String
    var runtime: Runtime
}

/// A language runtime a buildpack detects, with what its build prints.
struct Runtime: Sendable, Hashable {
    var buildpack: String
    var cache: String
    var buildLines: [String]
    var failureLines: [String]

    static let all: [Runtime] = [
        Runtime(
            buildpack: "heroku/nodejs 3.4.1", cache: "node_modules",
            buildLines: ["Running npm ci", "added 812 packages in 14s", "Running npm run build"],
            failureLines: ["npm ERR! code ELIFECYCLE", "npm ERR! errno 2", "error: the build script exited with 2"]),
        Runtime(
            buildpack: "heroku/python 0.19.2", cache: "pip",
            buildLines: ["Installing requirements with pip", "Successfully installed 47 packages"],
            failureLines: ["ERROR: No matching distribution found for torch==9.9", "error: pip exited with 1"]),
        Runtime(
            buildpack: "heroku/go 0.6.0", cache: "go modules",
            buildLines: ["Running go build -o bin/server ./cmd/server", "Built bin/server"],
            failureLines: ["./main.go:42:9: undefined: handler", "error: go build exited with 1"]),
        Runtime(
            buildpack: "heroku/ruby 4.1.0", cache: "bundler",
            buildLines: ["Running bundle install", "Bundle complete! 38 Gemfile dependencies"],
            failureLines: ["Bundler could not find compatible versions for gem \"rails\"", "error: exit 5"]),
    ]

    static let commitMessages = [
        "Fix flaky health check", "Bump dependencies", "Add billing webhook", "Refactor the cache layer",
        "Tune connection pool size", "Add dark mode", "Update README", "Handle empty carts",
        "Log slow queries", "Retry failed payments",
    ]
}
