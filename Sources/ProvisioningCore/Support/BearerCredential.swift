/// The token of an `Authorization: Bearer <token>` header, for the servers kprov runs (the simulator, the
/// adapters).
public enum BearerCredential {
    /// The token of a `Bearer` credential; the scheme is case-insensitive, as RFC 9110 says. Spaces and tabs
    /// around the token are dropped. Every request passes this way, so it works on the UTF-8 bytes (no
    /// lowercased copy, no grapheme breaking, no `NSString`, all of which showed in profiles).
    public static func token(in header: String?) -> String? {
        guard let bytes = header?.utf8, bytes.count > 7,
            bytes.prefix(7).elementsEqual("bearer ".utf8, by: { asciiLowercased($0) == $1 })
        else { return nil }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let token = bytes.dropFirst(7).drop(while: isBlank)
        guard let last = token.lastIndex(where: { !isBlank($0) }) else { return nil }
        return String(token[...last])
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }
}
