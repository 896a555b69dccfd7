// Creating and destroying descriptors: socket, socketpair, accept, close,
// plus fcntl (for O_NONBLOCK/FD_CLOEXEC) and release. Every descriptor is
// created close-on-exec, atomically where the platform can (SOCK_CLOEXEC,
// accept4), with an fcntl fallback where it cannot — as libuv's uv__socket
// and uv__accept do.
#include "addon.h"
#include "sockaddr.h"

#include <fcntl.h>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace ps {

void Adopt(Addon* addon, int fd) {
  // The number may still have a watcher if an earlier fd with it was closed
  // behind our back (say by a child or fs.closeSync): drop that stale one.
  if (addon->watchers.count(fd)) StopWatching(addon, fd);
  addon->owned.insert(fd);
}

void Forget(Addon* addon, int fd) {
  StopWatching(addon, fd);
  addon->owned.erase(fd);
}

static int SetFdFlag(int fd, int get, int set, int flag, bool on) {
  int flags = RetryEintr([&] { return fcntl(fd, get); });
  if (flags == -1) return -1;
  int want = on ? flags | flag : flags & ~flag;
  if (want == flags) return 0;
  return RetryEintr([&] { return fcntl(fd, set, want); });
}

// Applies what SOCK_CLOEXEC/SOCK_NONBLOCK would have, for platforms (macOS)
// or kernels (Linux < 2.6.27) without them. Not atomic: another thread's
// fork+exec between socket() and here can inherit the fd.
static int ApplyFlagsByHand(int fd, bool nonblock) {
  if (SetFdFlag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, true) == -1) return -1;
  if (SetFdFlag(fd, F_GETFL, F_SETFL, O_NONBLOCK, nonblock) == -1) return -1;
#ifdef SO_NOSIGPIPE
  // macOS has no MSG_NOSIGNAL: stop SIGPIPE per socket instead.
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
  return 0;
}

#ifdef SOCK_NONBLOCK
static const int kTypeFlags = SOCK_NONBLOCK | SOCK_CLOEXEC;
#else
static const int kTypeFlags = 0;
#endif

static int CreateSocket(int domain, int type, int protocol) {
  int fd;  // outside the #ifdef: macOS has no SOCK_CLOEXEC, so only the fallback runs
#ifdef SOCK_CLOEXEC
  fd = socket(domain, type | SOCK_CLOEXEC, protocol);
  // Kernels before 2.6.27 reject the flag bits with EINVAL; so does a bad
  // type, which the retry below reports again.
  if (fd != -1 || errno != EINVAL) return fd;
#endif
  fd = socket(domain, type & ~kTypeFlags, protocol);
  if (fd == -1) return -1;
#ifdef SOCK_NONBLOCK
  bool nonblock = (type & SOCK_NONBLOCK) != 0;
#else
  bool nonblock = false;
#endif
  if (ApplyFlagsByHand(fd, nonblock) == -1) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// socket(domain, type, protocol) -> fd or -errno. Always close-on-exec.
static Napi::Value Socket(const Napi::CallbackInfo& info) {
  int domain = ArgInt(info, 0, "domain");
  int type = ArgInt(info, 1, "type");
  int protocol = ArgInt(info, 2, "protocol");
  int fd = CreateSocket(domain, type, protocol);
  if (fd >= 0) Adopt(GetAddon(info.Env()), fd);
  return Napi::Number::New(info.Env(), Result(fd));
}

// socketpair(domain, type, protocol, out: Int32Array(2)) -> 0 or -errno.
static Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  int domain = ArgInt(info, 0, "domain");
  int type = ArgInt(info, 1, "type");
  int protocol = ArgInt(info, 2, "protocol");
  Bytes out = ArgBytes(info, 3, "out");
  if (out.length < 2 * sizeof(int)) ThrowRange(info.Env(), "out must hold two 32-bit integers");
  int sv[2];
  int r = -1;
#ifdef SOCK_CLOEXEC
  r = socketpair(domain, type | SOCK_CLOEXEC, protocol, sv);
  if (r == -1 && errno == EINVAL)  // as in CreateSocket
#endif
  {
    r = socketpair(domain, type & ~kTypeFlags, protocol, sv);
#ifdef SOCK_NONBLOCK
    bool nonblock = (type & SOCK_NONBLOCK) != 0;
#else
    bool nonblock = false;
#endif
    if (r == 0 && (ApplyFlagsByHand(sv[0], nonblock) == -1 || ApplyFlagsByHand(sv[1], nonblock) == -1)) {
      int saved = errno;
      close(sv[0]);
      close(sv[1]);
      errno = saved;
      r = -1;
    }
  }
  if (r == 0) {
    Addon* addon = GetAddon(info.Env());
    Adopt(addon, sv[0]);
    Adopt(addon, sv[1]);
    memcpy(out.data, sv, sizeof sv);
  }
  return Napi::Number::New(info.Env(), Result(r));
}

// accept(fd, flags, out?) -> new fd or -errno; the peer's address is set on
// `out` when given. flags are accept4's (SOCK_NONBLOCK); the new fd is always
// close-on-exec.
static Napi::Value Accept(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int flags = ArgInt(info, 1, "flags");
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int r = -1;
#if defined(__linux__) && defined(SOCK_CLOEXEC)
  r = RetryEintr([&] { return accept4(fd, reinterpret_cast<sockaddr*>(&ss), &len, flags | SOCK_CLOEXEC); });
  if (r == -1 && errno == ENOSYS)  // accept4 needs Linux 2.6.28
#endif
  {
#ifdef SOCK_NONBLOCK
    if (flags & ~SOCK_NONBLOCK) {
      errno = EINVAL;  // accept4's answer to unknown flags
      return Napi::Number::New(info.Env(), -EINVAL);
    }
    bool nonblock = (flags & SOCK_NONBLOCK) != 0;
#else
    if (flags != 0) return Napi::Number::New(info.Env(), -EINVAL);
    bool nonblock = false;
#endif
    len = sizeof ss;
    r = RetryEintr([&] { return accept(fd, reinterpret_cast<sockaddr*>(&ss), &len); });
    // The BSDs (macOS) let the new fd inherit O_NONBLOCK from the listener;
    // setting it explicitly gives accept4's Linux semantics everywhere.
    if (r >= 0 && ApplyFlagsByHand(r, nonblock) == -1) {
      int saved = errno;
      close(r);
      errno = saved;
      r = -1;
    }
  }
  if (r >= 0) {
    Adopt(GetAddon(info.Env()), r);
    if (info.Length() > 2 && info[2].IsObject()) FromSockaddr(info.Env(), info[2].As<Napi::Object>(), &ss, len);
  }
  return Napi::Number::New(info.Env(), Result(r));
}

// close(fd) -> 0 or -errno. Stops any watcher first (libuv allows closing an
// fd right after uv_poll_stop). Never retried: after EINTR the fd is gone on
// Linux, and a retry could close a number another thread just received.
static Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Forget(GetAddon(info.Env()), fd);
  int r = close(fd);
  // As libuv's uv__close_nocheckstdio: EINTR/EINPROGRESS still released the fd.
  if (r == -1 && (errno == EINTR || errno == EINPROGRESS)) r = 0;
  return Napi::Number::New(info.Env(), Result(r));
}

// release(fd): stop watching and tracking the fd without closing it, before
// handing it to net.Socket, a child process, or anything else.
static Napi::Value Release(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  Forget(GetAddon(info.Env()), fd);
  return info.Env().Undefined();
}

// fcntl(fd, cmd, arg) -> value or -errno, for the int-argument commands only:
// F_GETFD, F_SETFD, F_GETFL, F_SETFL.
static Napi::Value Fcntl(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int cmd = ArgInt(info, 1, "cmd");
  int arg = info.Length() > 2 && !info[2].IsUndefined() ? ArgInt(info, 2, "arg") : 0;
  if (cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL && cmd != F_SETFL)
    ThrowRange(info.Env(), "fcntl command %d is not supported (F_GETFD, F_SETFD, F_GETFL, F_SETFL are)", cmd);
  int r = RetryEintr([&] { return fcntl(fd, cmd, arg); });
  return Napi::Number::New(info.Env(), Result(r));
}

void InitFd(Napi::Env env, Napi::Object exports) {
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("socketpair", Napi::Function::New(env, Socketpair, "socketpair"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("release", Napi::Function::New(env, Release, "release"));
  exports.Set("fcntl", Napi::Function::New(env, Fcntl, "fcntl"));
}

}  // namespace ps
