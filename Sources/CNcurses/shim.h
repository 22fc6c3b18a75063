#ifndef KPROV_CNCURSES_SHIM_H
#define KPROV_CNCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <langinfo.h>
#include <locale.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* What Swift cannot import from curses.h: globals that are not concurrency-safe (stdscr, COLORS), macros with
   casts or arguments (A_BOLD, COLOR_PAIR, KEY_F, getmaxyx, mouse masks), and variadic calls (ioctl). */

static inline WINDOW *kprov_stdscr(void) { return stdscr; }
/* Starts ncurses on standard input and output; NULL (instead of exiting, as initscr does) on failure. */
static inline SCREEN *kprov_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int kprov_colors(void) { return COLORS; }
static inline int kprov_color_pairs(void) { return COLOR_PAIRS; }

static inline void kprov_window_size(WINDOW *window, int *out_rows, int *out_columns) {
    int y, x;
    getmaxyx(window, y, x);
    *out_rows = y;
    *out_columns = x;
}

/* The size of the terminal on file descriptor `fd` from the kernel; -1 when it is not a terminal. */
static inline int kprov_terminal_size(int fd, int *out_rows, int *out_columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *out_rows = size.ws_row;
    *out_columns = size.ws_col;
    return 0;
}

static inline attr_t kprov_attr_bold(void) { return A_BOLD; }
static inline attr_t kprov_attr_dim(void) { return A_DIM; }
static inline attr_t kprov_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t kprov_attr_reverse(void) { return A_REVERSE; }
static inline attr_t kprov_attr_normal(void) { return A_NORMAL; }

/* Sets the attributes and colour pair for the next writes; the pair goes through `opts` so that pair numbers
   beyond 32767 work. */
static inline int kprov_set_attributes(WINDOW *window, attr_t attributes, int pair) {
    return wattr_set(window, attributes, (NCURSES_PAIRS_T)(pair > 32767 ? 0 : pair), &pair);
}

static inline int kprov_key_f(int n) { return KEY_F(n); }

static inline mmask_t kprov_mouse_events(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED;
}
static inline int kprov_is_click(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int kprov_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int kprov_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }

/* Whether the current locale's character set is UTF-8 (call after setlocale). */
static inline int kprov_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/* A terminfo string capability, or NULL when the terminal has none. */
static inline const char *kprov_capability(const char *name) {
    char *value = tigetstr(name);
    return (value == NULL || value == (char *)-1) ? NULL : value;
}

#endif
