// poll(2): the blocking readiness call a learner uses to see when a
// non-blocking socket is ready. lib/poll.ts lays the struct pollfd array out
// in a buffer; native only checks its size and makes the call.
#include "addon.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>  // timeval: glibc has it through sys/socket.h, musl does not
#include <time.h>

#include <cstddef>

namespace ps {

// lib/poll.ts writes {int32 fd, int16 events, int16 revents} records: the
// layout POSIX gives struct pollfd on every platform this package supports.
static_assert(sizeof(pollfd) == 8 && offsetof(pollfd, events) == 4 && offsetof(pollfd, revents) == 6,
              "struct pollfd layout differs from lib/poll.ts");

static int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

static int64_t NowMs() { return NowNs() / 1000000; }

Deadline StartDeadline() { return Deadline{NowNs()}; }

int WaitRemaining(int fd, int option, short events, const Deadline& d) {
  timeval tv;
  socklen_t len = sizeof tv;
  if (getsockopt(fd, SOL_SOCKET, option, &tv, &len) == -1) {
    // read/write on a pipe or file: no socket timeout to honour.
    if (errno != ENOTSOCK) return -1;
    tv.tv_sec = 0;
    tv.tv_usec = 0;
  }
  int64_t limit_ns = static_cast<int64_t>(tv.tv_sec) * 1000000000 + static_cast<int64_t>(tv.tv_usec) * 1000;
  for (;;) {
    int timeout = -1;  // no socket timeout: wait as long as the call would have
    if (limit_ns > 0) {
      int64_t left = d.start_ns + limit_ns - NowNs();
      if (left <= 0) return 0;
      // Rounded up, so the poll never ends before the deadline.
      int64_t ms = (left + 999999) / 1000000;
      timeout = ms > INT32_MAX ? INT32_MAX : static_cast<int>(ms);
    }
    pollfd p = {fd, events, 0};
    int r = poll(&p, 1, timeout);
    if (r == -1 && errno == EINTR) continue;
    if (r == -1) return -1;
    if (r == 1) return 1;  // ready, or POLLERR/POLLHUP: the call will say which
    // r == 0: loop, and the deadline check above answers.
  }
}

// poll(fds, nfds, timeoutMs) -> number of ready fds or -errno. EINTR is
// retried with what is left of the timeout (a negative timeout waits forever).
static Napi::Value Poll(const Napi::CallbackInfo& info) {
  Bytes fds = ArgBytes(info, 0, "fds");
  int nfds = ArgInt(info, 1, "nfds");
  int timeout = ArgInt(info, 2, "timeout");
  if (nfds < 0 || static_cast<size_t>(nfds) * sizeof(pollfd) > fds.length)
    ThrowRange(info.Env(), "fds holds %zu records, not %d", fds.length / sizeof(pollfd), nfds);
  if (nfds > 0 && reinterpret_cast<uintptr_t>(fds.data) % alignof(pollfd) != 0)
    ThrowRange(info.Env(), "fds must be 4-byte aligned");
  auto* p = reinterpret_cast<pollfd*>(fds.data);
  int64_t deadline = timeout > 0 ? NowMs() + timeout : 0;
  int r;
  for (;;) {
    r = poll(p, static_cast<nfds_t>(nfds), timeout);
    if (r != -1 || errno != EINTR) break;
    if (timeout > 0) {
      int64_t left = deadline - NowMs();
      timeout = left > 0 ? static_cast<int>(left) : 0;
    }
  }
  return Napi::Number::New(info.Env(), Result(r));
}

void InitPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
}

}  // namespace ps
