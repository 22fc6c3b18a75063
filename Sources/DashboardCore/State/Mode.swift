import ProvisioningCore

/// What the keyboard is talking to.
public enum Mode: Hashable, Sendable {
    /// Moving around the tree.
    case browsing
    /// Typing the `/` filter; the tree follows each keystroke.
    case filtering
    /// The `?` overlay.
    case help
    /// A declaration form.
    case form(FormState)
    /// A quick declaration (`c`, `x` on a step) waiting for y/n.
    case confirming(QuickDeclaration)
    /// The `o` panel: the declarations waiting in the outbox.
    case outbox(OutboxPanel)
}

/// A declaration made with one key, and the question asked before it is sent.
public struct QuickDeclaration: Hashable, Sendable {
    public var declaration: Declaration
    /// e.g. `Mark git-clone COMPLETED, finished now?`
    public var question: String

    public init(declaration: Declaration, question: String) {
        self.declaration = declaration
        self.question = question
    }
}
