import Foundation
import ProvisioningCore

/// Where themes come from and which exist: the built-in default, files in the user's theme folder
/// (`$XDG_CONFIG_HOME/kprov/themes`), files in the package's `themes/` folder, or a file given by path.
public struct ThemeCatalog: Sendable {
    /// Where a theme is read from.
    public enum Source: Hashable, Sendable {
        case builtin
        case file(String)

        /// The name the theme goes by: its file's name without `.yaml`, or `default`.
        public var themeName: String {
            switch self {
            case .builtin: "default"
            case .file(let path): URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            }
        }
    }

    /// Folders searched for `NAME.yaml`, first match wins: the user's folder, then the package's.
    public var directories: [String]
    public var parser: ThemeParser

    public init(directories: [String], parser: ThemeParser = ThemeParser()) {
        self.directories = directories
        self.parser = parser
    }

    /// The catalog for this process: the user's theme folder, then the package's `themes/` folder found next
    /// to the executable or in the source tree.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        var directories: [String] = []
        if let config = ConfigLocation.configDirectory(environment: environment) {
            directories.append(config + "/themes")
        }
        if let packaged = PackagedThemes.directory() { directories.append(packaged) }
        return ThemeCatalog(directories: directories)
    }

    /// Every theme name available, `default` first, then the rest alphabetically.
    public var names: [String] {
        var found = Set<String>()
        for directory in directories {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for entry in entries where entry.hasSuffix(".yaml") {
                let name = String(entry.dropLast(".yaml".count))
                if Self.isValidName(name) { found.insert(name) }
            }
        }
        found.remove("default")
        return ["default"] + found.sorted()
    }

    /// Where `nameOrPath` is read from: a path when it contains `/` or ends in `.yaml`/`.yml`, else a name.
    /// Throws when there is no such theme, naming the ones there are.
    public func locate(_ nameOrPath: String) throws(ThemeError) -> Source {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw ThemeError(file: nameOrPath, message: "no such theme file")
            }
            return .file(nameOrPath)
        }
        for directory in directories {
            let path = directory + "/" + nameOrPath + ".yaml"
            if Self.isValidName(nameOrPath), FileManager.default.fileExists(atPath: path) { return .file(path) }
        }
        if nameOrPath == "default" { return .builtin }
        throw ThemeError(
            file: TerminalText.sanitized(nameOrPath, limit: 60),
            message: "unknown theme; allowed: \(names.joined(separator: ", ")) or the path of a .yaml theme file")
    }

    /// Reads the theme at `source`. The theme's name is the file's base name.
    public func load(_ source: Source) throws(ThemeError) -> Theme {
        switch source {
        case .builtin:
            return .builtinDefault
        case .file(let path):
            let text: String
            do {
                text = try TextFile.read(path)
            } catch {
                throw ThemeError(file: path, message: error.reason)
            }
            return try parser.parse(text, file: path, name: source.themeName)
        }
    }

    /// Locates and loads `nameOrPath`.
    public func theme(_ nameOrPath: String) throws(ThemeError) -> Theme {
        try load(try locate(nameOrPath))
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
