// What the fuzz harness needs from C: libFuzzer's driver (from the toolchain's clang runtime, linked by
// -sanitize=fuzzer) and two Linux calls that Swift's Glibc module does not show.
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

// Parses libFuzzer's command line and runs `callback` on each input, as libFuzzer's own main() does.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

// An anonymous in-memory file (memfd_create(2)), close-on-exec; -1 on failure.
static inline int fuzz_memfd_create(const char *name) {
    return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
}

// Sets a pipe's capacity in bytes (fcntl F_SETPIPE_SZ); returns the capacity granted, or -1.
static inline int fuzz_set_pipe_capacity(int fd, int bytes) {
    return fcntl(fd, F_SETPIPE_SZ, bytes);
}
