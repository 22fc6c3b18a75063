/// What the keyboard is talking to.
public enum Mode: Hashable, Sendable {
    /// Moving around the tree.
    case browsing
    /// Typing the `/` filter; the tree follows each keystroke.
    case filtering
    /// The `?` overlay.
    case help
}
