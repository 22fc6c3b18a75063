import DashboardCore

/// One character cell of the screen with its resolved style.
///
/// Equality compares the character's scalars, not canonical equivalence: screens are compared cell by cell on
/// every frame, and two spellings of one glyph are different writes for a terminal anyway.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// The right half of a double-width character drawn in the cell to the left; terminals draw nothing here.
    public var isContinuation: Bool
    /// The cell shows a spinner frame, so a frame in which only spinners move may redraw just this cell. Not
    /// part of equality: it changes nothing a terminal shows.
    public var isSpinner = false

    public init(_ character: Character = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    public static func == (lhs: Cell, rhs: Cell) -> Bool {
        guard lhs.style == rhs.style, lhs.isContinuation == rhs.isContinuation else { return false }
        return lhs.character.hasSameScalars(as: rhs.character)
    }

    public func hash(into hasher: inout Hasher) {
        for scalar in character.unicodeScalars { hasher.combine(scalar) }
        hasher.combine(style)
        hasher.combine(isContinuation)
    }
}

extension Character {
    /// Whether both characters are the same scalars. Characters are small strings stored inline, and identical
    /// text is identical bits, so that is checked first: eight times faster than reading scalars, and screens
    /// compare thousands of mostly equal cells on every frame.
    fileprivate func hasSameScalars(as other: Character) -> Bool {
        let sameBits = withUnsafeBytes(of: self) { left in withUnsafeBytes(of: other) { left.elementsEqual($0) } }
        return sameBits || unicodeScalars.elementsEqual(other.unicodeScalars)
    }
}
