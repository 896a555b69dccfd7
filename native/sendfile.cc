// sendfile: a file's bytes to a socket inside the kernel, never copied
// through this process. The argument order is Linux's, (out, in, offset,
// count); macOS's call, sendfile(file, socket, offset, &len, hdtr, flags),
// is mapped onto it (see below).
#include "addon.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmath>

#if defined(__linux__)
#include <sys/sendfile.h>
#else
#include <sys/uio.h>  // macOS: sendfile(2), struct sf_hdtr
#endif

namespace ps {

// An integer JavaScript holds exactly (|n| <= 2^53 - 1), at least `min`.
static int64_t ArgSafeInteger(const Napi::CallbackInfo& info, size_t i, const char* name, double min) {
  if (!info[i].IsNumber()) ThrowType(info.Env(), "%s must be a number", name);
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d || d < min || d > 9007199254740991.0)
    ThrowRange(info.Env(), "%s must be an integer from %.0f to 9007199254740991", name, min);
  return static_cast<int64_t>(d);
}

// sendfile(outFd, inFd, offset: number | null, count) -> bytes sent (maybe
// fewer than count) or -errno. With an offset the file is read from there
// and its position is left alone (the new offset is offset + the result,
// which lib/ computes); with null the file's position is used and advanced.
// On a blocking socket, SO_SNDTIMEO bounds the whole call, signals included.
static Napi::Value Sendfile(const Napi::CallbackInfo& info) {
  int out = ArgFd(info, 0);
  int in = ArgFd(info, 1);
  bool at = !info[2].IsNull();
  int64_t offset = at ? ArgSafeInteger(info, 2, "offset", -9007199254740991.0) : 0;
  int64_t count = ArgSafeInteger(info, 3, "count", 0);
#if defined(__linux__)
  off_t off = static_cast<off_t>(offset);
  ssize_t r = RetryEintrTimed(out, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool) {
    // The kernel sends at most 0x7ffff000 bytes per call whatever the count.
    return sendfile(out, in, at ? &off : nullptr, static_cast<size_t>(count));
  });
  return Napi::Number::New(info.Env(), Result(r));
#else
  // macOS differs from Linux in four ways, each made to look like Linux:
  // - the file comes first and the socket second;
  // - the offset is always explicit: for null, the file's position is read
  //   with lseek before and advanced by the bytes sent after (so this path
  //   is three system calls, not one, and not atomic against another user
  //   of the same open file);
  // - len 0 means "to the end of the file", so a count of 0 sends nothing
  //   and returns 0 without asking the kernel (Linux's answer for 0 bytes);
  // - a partial send on a non-blocking socket (or one a signal cut short)
  //   is -1 with EAGAIN/EINTR and len > 0: that is reported as the byte
  //   count, as Linux reports it, never retried (it would send them again).
  if (count == 0) return Napi::Number::New(info.Env(), 0);
  off_t start = static_cast<off_t>(offset);
  if (!at) {
    start = lseek(in, 0, SEEK_CUR);
    if (start == -1) return Napi::Number::New(info.Env(), -errno);
  }
  ssize_t r = RetryEintrTimed(out, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool) -> ssize_t {
    off_t len = static_cast<off_t>(count);
    if (sendfile(in, out, start, &len, nullptr, 0) == 0) return static_cast<ssize_t>(len);
    if ((errno == EAGAIN || errno == EINTR) && len > 0) return static_cast<ssize_t>(len);
    return -1;
  });
  // The bytes are sent: a failing lseek here cannot take that back, so its
  // error is not reported (the position is then where it was).
  if (r > 0 && !at) lseek(in, start + r, SEEK_SET);
  return Napi::Number::New(info.Env(), Result(r));
#endif
}

void InitSendfile(Napi::Env env, Napi::Object exports) {
  exports.Set("sendfile", Napi::Function::New(env, Sendfile, "sendfile"));
}

}  // namespace ps
