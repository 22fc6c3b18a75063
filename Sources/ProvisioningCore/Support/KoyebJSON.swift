import Foundation

/// The JSON coders every part of kprov uses for Koyeb's wire format: RFC 3339 dates (fractional seconds
/// optional on input, microseconds on output) and sorted keys on output so bodies are reproducible.
public enum KoyebJSON {
    /// A decoder for Koyeb JSON. Dates accept RFC 3339 with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected an RFC 3339 time such as 2021-04-26T08:28:59.221274Z"
                )
            }
            return date
        }
        return decoder
    }

    /// An encoder for Koyeb JSON: RFC 3339 UTC dates with microseconds, sorted keys, unescaped slashes.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension KeyedDecodingContainer {
    /// Decodes an int64 sent either as a JSON number or as a decimal string (proto3 JSON writes int64 as a
    /// string; Koyeb's spec says integer). `null` and absence give `nil`.
    func decodeLenientInt64IfPresent(forKey key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let number = try? decode(Int64.self, forKey: key) { return number }
        let text = try decode(String.self, forKey: key)
        guard let number = Int64(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected an integer, got \"\(text.prefix(40))\"")
        }
        return number
    }

    /// Decodes an optional array, treating `null` like absence and returning `[]` for both.
    func decodeListIfPresent<Element: Decodable>(_ type: [Element].Type, forKey key: Key) throws -> [Element] {
        try decodeIfPresent(type, forKey: key) ?? []
    }
}
