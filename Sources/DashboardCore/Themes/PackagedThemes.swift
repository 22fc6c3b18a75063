import Foundation

/// Finds the `themes/` folder that ships with kprov.
///
/// - `swift run` and tests: the executable sits in `<package>/.build/<triple>/<config>/`, so one of its
///   ancestors holds `themes/`.
/// - An installed binary: `<prefix>/bin/kprov` with the themes in `<prefix>/share/kprov/themes`.
/// - A binary copied elsewhere on the machine that built it: the source tree this file was compiled from.
///
/// A folder counts only when it holds `default.yaml`, so an unrelated `themes/` folder is never picked.
enum PackagedThemes {
    static func directory(executablePath: String? = Bundle.main.executablePath) -> String? {
        candidates(executablePath: executablePath).first { path in
            FileManager.default.fileExists(atPath: path + "/default.yaml")
        }
    }

    static func candidates(executablePath: String?, sourceFile: String = #filePath) -> [String] {
        var result: [String] = []
        if let executablePath {
            var directory = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" && !directory.path.isEmpty {
                result.append(directory.path + "/themes")
                result.append(directory.path + "/share/kprov/themes")
                directory.deleteLastPathComponent()
            }
        }
        // Sources/DashboardCore/Themes/PackagedThemes.swift → the package root.
        let packageRoot = URL(fileURLWithPath: sourceFile)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        result.append(packageRoot.path + "/themes")
        return result
    }
}
