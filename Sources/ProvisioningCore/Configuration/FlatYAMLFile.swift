import Foundation
import Yams

/// Reads the string values of a YAML file of `key: value` pairs (Koyeb's CLI config), refusing what would leak or
/// mislead: a file holding secrets that other users can read, a file that is not a mapping, a key kprov reads
/// that holds a list or a mapping instead of a string.
public enum FlatYAMLFile {
    /// The values of `keys` at the top level of the YAML mapping in `path`; a key that is missing, empty or `null`
    /// is left out. Other keys are not looked at.
    /// - Parameter secret: the file may hold a token; refuse it when group or others can read it (like ssh).
    public static func read(path: String, keys: Set<String>, secret: Bool) throws -> [String: String] {
        if secret { try FilePermissions.requirePrivate(path: path, holding: "a token") }
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw ConfigurationError("\(path): \(error.reason)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationError("\(path): not valid YAML: \(YAMLErrorText.describe(error))")
        }
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            throw ConfigurationError("\(path): expected `key: value` lines at the top level")
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name), value.null == nil else { continue }
            guard let scalar = value.scalar else {
                let line = value.mark.map { ":\($0.line)" } ?? ""
                let found = value.sequence != nil ? "a list" : "a mapping"
                throw ConfigurationError("\(path)\(line): \(name): must be a string, not \(found)")
            }
            values[name] = scalar.string
        }
        return values
    }
}

/// Short, one-line descriptions of Yams errors: line, column and the problem only. Never the file's text — Yams's
/// own descriptions quote the lines around the problem, which in a config file can hold a token.
public enum YAMLErrorText {
    /// `line L, column C: problem`, or the problem alone when Yams gives no position.
    public static func describe(_ error: YamlError) -> String {
        let (position, problem) = parts(of: error)
        return (position.map { "line \($0.line), column \($0.column): " } ?? "") + problem
    }

    /// Where a syntax error is (when Yams says) and what it is, without the file's text.
    public static func parts(of error: YamlError) -> (position: (line: Int, column: Int)?, problem: String) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ((mark.line, mark.column), problem)
        case .reader(let problem, let offset, _, let yaml):
            return (offset.map { position(characterOffset: $0, in: yaml) }, problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\(TerminalText.sanitized($0, limit: 40))\"" }
            return ((context.mark.line, context.mark.column), "duplicated key(s) \(keys.joined(separator: ", "))")
        case .no, .memory, .writer, .emitter, .representer, .dataCouldNotBeDecoded:
            return (nil, "it could not be read as YAML")
        }
    }

    /// The line and column of the character at `offset` (counted in `Character`s, as Yams counts them).
    private static func position(characterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        let before = text.prefix(offset)
        let line = before.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
        let column = before.reversed().prefix { !$0.isNewline }.count + 1
        return (line, column)
    }
}

/// File-mode checks and private writes for files that hold tokens or the outbox.
public enum FilePermissions {
    /// Throws when group or others may read or write `path`, which holds `what` (a token, secrets …).
    public static func requirePrivate(path: String, holding what: String = "secrets") throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
        else { return }
        if mode & 0o077 != 0 {
            throw ConfigurationError(
                "\(path) is readable by other users (mode \(String(mode, radix: 8))); it holds \(what) — run: chmod 600 \(path)"
            )
        }
    }

    /// Writes `data` to `path` atomically (temporary file, fsync, rename, fsync of the folder) with mode 0600,
    /// creating parent folders with mode 0700.
    public static func writePrivately(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("\(temporary): cannot be created (errno \(errno))") }
        defer { close(descriptor) }
        // A copy that did not replace `path` goes: it may hold secrets.
        var replaced = false
        defer { if !replaced { unlink(temporary) } }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                guard written > 0 else { throw ConfigurationError("\(temporary): write failed (errno \(errno))") }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw ConfigurationError("\(temporary): fsync failed (errno \(errno))") }
        guard rename(temporary, path) == 0 else {
            throw ConfigurationError("\(path): cannot be replaced (errno \(errno))")
        }
        replaced = true
        // The rename is durable only once the folder's entry is on disk too.
        let folder = open(url.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
