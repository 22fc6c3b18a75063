import Foundation
import Testing

/// Where the package's own files are, for tests that run its executables and its Python test tools.
public enum PackageFiles {
    /// The package's root folder: the nearest folder above this file that holds `Package.swift`.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// The shipped `themes/` folder.
    public static let themes = root + "/themes"

    /// The built executable `name` (`kprov`, `kprov-bench`): the one next to the test bundle, else the one in
    /// `.build/debug` (`scripts/test` builds both before `swift test`).
    public static func executable(_ name: String) -> String {
        let bundleFolder = Bundle.main.bundleURL.deletingLastPathComponent().path
        let candidates = [bundleFolder + "/" + name, root + "/.build/debug/" + name]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    /// `.venv/bin/<name>`, the venv of test tools that `scripts/test` makes; when it is missing, records a
    /// failure that says how to make it and returns `nil`.
    public static func venvTool(_ name: String) -> String? {
        let path = root + "/.venv/bin/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let message =
                "\(path) is missing: run scripts/test, which makes the venv of test tools (or: python3 -m venv .venv "
                + "&& .venv/bin/pip install -r requirements-test.txt)"
            Issue.record(Comment(rawValue: message))
            return nil
        }
        return path
    }
}
