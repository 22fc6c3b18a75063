import Foundation

/// What the dashboard was started with; it does not change while it runs.
public struct DashboardSettings: Hashable, Sendable {
    /// The API base URL, for the header.
    public var apiURL: String
    /// What is fetched, for the header; empty when everything is.
    public var querySummary: String
    public var glyphs: Glyphs
    /// `--read-only`: every declaring action is off.
    public var readOnly: Bool
    /// The themes `t` cycles through.
    public var themeNames: [String]
    /// Where form times are shown in local time.
    public var timeZone: TimeZone

    public init(
        apiURL: String, querySummary: String = "", glyphs: Glyphs = .unicode, readOnly: Bool = false,
        themeNames: [String] = ["default"], timeZone: TimeZone = .current
    ) {
        self.apiURL = apiURL
        self.querySummary = querySummary
        self.glyphs = glyphs
        self.readOnly = readOnly
        self.themeNames = themeNames
        self.timeZone = timeZone
    }
}
