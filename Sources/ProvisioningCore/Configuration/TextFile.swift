import Foundation

/// Reads a text file kprov is configured with (its config, a theme, Koyeb's CLI config), saying why when it
/// cannot.
public enum TextFile {
    /// Why a file could not be read, to follow its path: `is a directory; expected a YAML file`, …
    public struct ReadError: Error, Hashable {
        /// The reason alone, without the path.
        public var reason: String
    }

    /// The UTF-8 text of the file at `path`.
    public static func read(_ path: String) throws(ReadError) -> String {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ReadError(reason: "no such file") }
        guard !isDirectory.boolValue else { throw ReadError(reason: "is a directory; expected a YAML file") }
        guard let data = files.contents(atPath: path) else {
            throw ReadError(
                reason: files.isReadableFile(atPath: path)
                    ? "cannot be read" : "permission denied; your user must be able to read it")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ReadError(reason: "is not UTF-8 text") }
        return text
    }
}
