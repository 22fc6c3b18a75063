/// A key the user pressed, decoded from the terminal's input.
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, space).
    case character(Character)
    /// A letter pressed with Ctrl, lower-cased: Ctrl-S is `.control("s")`.
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// F1 … F12.
    case function(Int)
}

/// A mouse event inside the terminal, in zero-based cell coordinates.
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable {
        case click
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// A signal asking the dashboard to end; the terminal turns it into an event so shutdown is orderly.
public enum TerminationSignal: String, Hashable, Sendable {
    /// SIGINT (Ctrl-C).
    case interrupt
    /// SIGTERM.
    case terminate
    /// SIGHUP (the terminal went away).
    case hangUp
}

/// Everything a terminal reports to the dashboard.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal now has this size.
    case resize(Size)
    case signal(TerminationSignal)
}
