/// Whether text output may use UTF-8 glyphs, judged from the locale variables the way `setlocale` reads them.
public enum LocaleCheck {
    /// `LC_ALL`, else `LC_CTYPE`, else `LANG` names a UTF-8 locale.
    public static func isUTF8(environment: [String: String]) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8")
    }
}
