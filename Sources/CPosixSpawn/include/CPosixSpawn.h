#ifndef KPROV_C_POSIX_SPAWN_H
#define KPROV_C_POSIX_SPAWN_H

#include <spawn.h>

/// Adds to `actions` the closing of every descriptor from `lowest` up in the child: glibc's
/// `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which <spawn.h> declares only under
/// `_GNU_SOURCE`, and so Swift's Glibc module does not show. Returns 0, or an error number.
int kprov_posix_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

#endif
