/*
 * clockshift: an LD_PRELOAD library that moves one process's wall clock, so a test can make eddy live
 * five minutes in the future without waiting five minutes (iterators and NextTokens expire after 300 s).
 *
 * Every clock_gettime(CLOCK_REALTIME*) call adds the number of milliseconds written in the file named by
 * $CLOCKSHIFT_FILE (missing or unreadable: 0). The file is read on each call, so a test changes the
 * offset of a running process by rewriting it. Monotonic clocks, and so timers, are left alone.
 *
 * eddy reads the wall clock through std::chrono::system_clock, which libstdc++ implements with
 * clock_gettime, so interposing that one function is enough.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long offset_ms(void) {
  const char* path = getenv("CLOCKSHIFT_FILE");
  if (!path) return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[32];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  return strtoll(buf, NULL, 10);
}

int clock_gettime(clockid_t id, struct timespec* tp) {
  static int (*real)(clockid_t, struct timespec*);
  if (!real) real = (int (*)(clockid_t, struct timespec*))dlsym(RTLD_NEXT, "clock_gettime");
  int rc = real(id, tp);
  if (rc != 0 || (id != CLOCK_REALTIME && id != CLOCK_REALTIME_COARSE)) return rc;
  long long ns = (long long)tp->tv_nsec + offset_ms() * 1000000LL;
  tp->tv_sec += ns / 1000000000LL;
  ns %= 1000000000LL;
  if (ns < 0) {
    ns += 1000000000LL;
    tp->tv_sec -= 1;
  }
  tp->tv_nsec = (long)ns;
  return 0;
}
