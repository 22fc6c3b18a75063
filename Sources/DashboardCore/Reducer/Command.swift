/// What a key asks for, after the key map has read it in the current mode.
public enum Command: Hashable, Sendable {
    // MARK: - Tree
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    /// ← / h: collapse, or go to the parent.
    case collapseOrParent
    /// → / l: expand, or go to the first child.
    case expandOrChild
    case toggle
    case expandAll, collapseAll
    case toggleDetail, toggleFollow, toggleHelp, refresh, cycleTheme, quit

    // MARK: - Filter
    case startFilter
    case filterInsert(Character)
    case filterDeleteBackward
    /// Enter: keep the filter and go back to the tree.
    case filterAccept
    /// Esc: clear the filter.
    case filterClear
}
