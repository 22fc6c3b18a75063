import CNcurses
import DashboardCore

/// Turns what `wget_wch` returns into keys.
enum KeyDecoder {
    /// The key for a function-key code (`wget_wch` returned `KEY_CODE_YES`).
    static func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME, KEY_A1: .home
        case KEY_END, KEY_C1: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case kprov_key_f(1)...kprov_key_f(12): .function(Int(code - kprov_key_f(0)))
        default: nil
        }
    }

    /// The key for a character (`wget_wch` returned `OK`).
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 0x1B: return .escape
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x01...0x1A:
            return .control(Character(Unicode.Scalar(UInt8(value) + 0x60)))
        case 0x00..<0x20:
            return nil
        default:
            return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }
}
