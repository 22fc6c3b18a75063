import Foundation

/// A route's path, e.g. `/v1/v1/provisioning/{deployment-id}/status/{stage}/{attempt}`, matched segment by
/// segment against a request's raw path.
///
/// Hummingbird's trie router is not used for the provisioning routes: it skips empty segments (so
/// `/provisioning//status` would silently match with the parameters shifted) and has no notion of
/// "this path exists for another method" (405). Matching the raw path here keeps `%2F` inside its segment, so
/// a stage named `build/arm 64` arrives as one value, and reports an empty segment as such.
struct PathTemplate: Hashable, Sendable, CustomStringConvertible {
    enum Segment: Hashable, Sendable {
        case literal(String)
        case parameter(PathParameter)
    }

    let segments: [Segment]
    /// The template as OpenAPI writes it; built once, as every request logs it.
    let description: String

    init(_ segments: [Segment]) {
        self.segments = segments
        description =
            "/"
            + segments.map {
                switch $0 {
                case .literal(let text): text
                case .parameter(let parameter): "{\(parameter.restName)}"
                }
            }.joined(separator: "/")
    }

    /// The parameters of the template, in order.
    var parameters: [PathParameter] {
        segments.compactMap {
            if case .parameter(let parameter) = $0 { return parameter }
            return nil
        }
    }

    /// What a raw path has to do with this template.
    enum Match: Equatable {
        /// Another path.
        case none
        /// This path; the parameter values are still percent-encoded.
        case matched([PathParameter: String])
    }

    /// The segments of a raw path (percent-encoded, without the query), empty ones kept; `nil` when the path
    /// does not start with `/`. Split once per request and matched against every template, on the UTF-8 bytes
    /// (splitting and comparing `Character`s, grapheme by grapheme, showed in profiles of every request).
    static func pieces(of path: String) -> [Substring]? {
        guard path.utf8.first == UInt8(ascii: "/") else { return nil }
        return path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
            Substring($0)
        }
    }

    /// Matches the `pieces` of a path. Literal segments compare exactly.
    func match(_ pieces: [Substring]) -> Match {
        guard pieces.count == segments.count else { return .none }
        var values = [PathParameter: String]()
        for (segment, piece) in zip(segments, pieces) {
            switch segment {
            case .literal(let text):
                guard piece.utf8.elementsEqual(text.utf8) else { return .none }
            case .parameter(let parameter):
                values[parameter] = String(piece)
            }
        }
        return .matched(values)
    }
}
