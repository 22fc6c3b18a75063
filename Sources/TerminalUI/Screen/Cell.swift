import DashboardCore

/// One character cell of the screen with its resolved style.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// The right half of a double-width character drawn in the cell to the left; terminals draw nothing here.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }
}
