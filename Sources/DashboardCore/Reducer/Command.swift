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
    /// ↑↓ PgUp PgDn in the help overlay, when it is taller than the terminal.
    case scrollHelp(by: Int)

    // MARK: - Filter
    case startFilter
    case filterInsert(Character)
    case filterDeleteBackward
    /// Enter: keep the filter and go back to the tree.
    case filterAccept
    /// Esc: clear the filter.
    case filterClear

    // MARK: - Declaring
    /// `a`: Create attempt, on a deployment or a stage.
    case openCreateAttempt
    /// `s`: Declare stage progress, on a build attempt.
    case openStageProgress
    /// `p`: Declare step progress, on a step.
    case openStepProgress
    /// `c` on a step: mark it COMPLETED (after a y/n).
    case quickComplete
    /// `x` on a step: mark it FAILED (after a y/n).
    case quickFail
    /// A key typed into the open form.
    case formKey(Key)
    /// The answer to a y/n question.
    case answer(Bool)

    // MARK: - Outbox
    /// `o`: open the outbox panel.
    case openOutbox
    /// Select the entry `offset` rows away.
    case outboxSelect(offset: Int)
    /// Send the selected entry now.
    case outboxRetry
    /// Drop the selected entry (after a y/n).
    case outboxDrop
    /// Close the panel.
    case closeOutbox
}
