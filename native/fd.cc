// Creating and destroying descriptors: socket, socketpair, accept, close,
// dup, dup2, dup3, plus fcntl (for O_NONBLOCK/FD_CLOEXEC) and release. Every
// descriptor the package creates is close-on-exec, atomically where the
// platform can (SOCK_CLOEXEC, accept4, F_DUPFD_CLOEXEC), with an fcntl
// fallback where it cannot — as libuv's uv__socket and uv__accept do; only
// dup2/dup3 leave the choice to the caller, as in C. Every descriptor handed
// out is adopted: recorded with its identity, so the env's teardown closes
// it only if the number still refers to that socket.
#include "addon.h"
#include "sockaddr.h"

#include <fcntl.h>
#include <poll.h>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace ps {

void Adopt(Addon* addon, int fd) {
  // The number may still have a watcher if an earlier fd with it was closed
  // behind our back (say by a child or fs.closeSync): drop that stale one
  // without touching the new file.
  StopWatching(addon, fd);
  if (!addon->track_owned) return;
  FileId id;
  // fstat of a descriptor just returned by the kernel cannot fail; if it
  // did, record nothing, so teardown leaves the number alone.
  if (Identify(fd, &id) == 0) addon->owned[fd] = id;
}

void Forget(Addon* addon, int fd) {
  StopWatching(addon, fd);
  addon->owned.erase(fd);
}

#if !defined(SOCK_CLOEXEC) || !defined(__linux__)
static int SetFdFlag(int fd, int get, int set, int flag, bool on) {
  int flags = RetryEintr([&] { return fcntl(fd, get); });
  if (flags == -1) return -1;
  int want = on ? flags | flag : flags & ~flag;
  if (want == flags) return 0;
  return RetryEintr([&] { return fcntl(fd, set, want); });
}

// macOS (and any platform without SOCK_CLOEXEC/SOCK_NONBLOCK/accept4):
// applies what those flags would have. Not atomic: another thread's
// fork+exec between the call and here can inherit the fd. On failure the fd
// is closed and -1 returned with errno kept.
static int FlagsByHand(int fd, bool nonblock) {
  if (fd == -1) return -1;
  bool ok = SetFdFlag(fd, F_GETFD, F_SETFD, FD_CLOEXEC, true) != -1 &&
            SetFdFlag(fd, F_GETFL, F_SETFL, O_NONBLOCK, nonblock) != -1;
#ifdef SO_NOSIGPIPE
  // macOS has no MSG_NOSIGNAL: stop SIGPIPE per socket instead.
  int one = 1;
  ok = ok && setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) != -1;
#endif
  if (ok) return fd;
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}
#endif

// Linux has had SOCK_CLOEXEC/SOCK_NONBLOCK and accept4 since 2.6.28, older
// than any kernel Node runs on: there every descriptor is created with its
// flags atomically. Elsewhere (macOS) the type/flags argument may carry only
// the type, and FlagsByHand follows the call.
#ifdef SOCK_CLOEXEC
static int CreateSocket(int domain, int type, int protocol) { return socket(domain, type | SOCK_CLOEXEC, protocol); }
static int CreatePair(int domain, int type, int protocol, int sv[2]) {
  return socketpair(domain, type | SOCK_CLOEXEC, protocol, sv);
}
#else
static int CreateSocket(int domain, int type, int protocol) {
  return FlagsByHand(socket(domain, type, protocol), false);
}
static int CreatePair(int domain, int type, int protocol, int sv[2]) {
  if (socketpair(domain, type, protocol, sv) == -1) return -1;
  if (FlagsByHand(sv[0], false) == -1) {
    int saved = errno;
    close(sv[1]);
    errno = saved;
    return -1;
  }
  if (FlagsByHand(sv[1], false) == -1) {
    int saved = errno;
    close(sv[0]);
    errno = saved;
    return -1;
  }
  return 0;
}
#endif

// accept4(fd, flags | SOCK_CLOEXEC) where it exists (Linux); elsewhere
// accept + FlagsByHand with accept4's semantics: the BSDs (macOS) let the
// new fd inherit O_NONBLOCK from the listener, and this sets it explicitly.
static int AcceptFd(int fd, sockaddr_storage* ss, socklen_t* len, int flags) {
  auto* sa = reinterpret_cast<sockaddr*>(ss);
#if defined(__linux__)
  return RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool) { return accept4(fd, sa, len, flags | SOCK_CLOEXEC); });
#else
  if (flags != 0) {
    errno = EINVAL;  // accept4's answer to flags it does not know
    return -1;
  }
  return FlagsByHand(RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool) { return accept(fd, sa, len); }), false);
#endif
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
  int r = CreatePair(domain, type, protocol, sv);
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
// close-on-exec. On a blocking listener with SO_RCVTIMEO the timeout bounds
// the whole call, signals included.
static Napi::Value Accept(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int flags = ArgInt(info, 1, "flags");
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int r = AcceptFd(fd, &ss, &len, flags);
  if (r >= 0) {
    Adopt(GetAddon(info.Env()), r);
    Napi::Object out;
    if (ArgOptionalObject(info, 2, &out)) FromSockaddr(info.Env(), out, &ss, len);
  }
  return Napi::Number::New(info.Env(), Result(r));
}

// close(fd) -> 0 or -errno. Removes the fd from the poll set first (its
// number may be reused the moment it is closed). Never retried: after EINTR the fd is gone on
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
  int arg = ArgOptionalInt(info, 2, "arg", 0);
  if (cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL && cmd != F_SETFL)
    ThrowRange(info.Env(), "fcntl command %d is not supported (F_GETFD, F_SETFD, F_GETFL, F_SETFL are)", cmd);
  int r = RetryEintr([&] { return fcntl(fd, cmd, arg); });
  return Napi::Number::New(info.Env(), Result(r));
}

// dup(fd) -> the new fd or -errno: fcntl(fd, F_DUPFD_CLOEXEC, 0), the lowest
// free number, close-on-exec atomically like every fd the package creates.
// It shares fd's open file description (offset, O_NONBLOCK, the socket).
static Napi::Value Dup(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0);
  int r = RetryEintr([&] { return fcntl(fd, F_DUPFD_CLOEXEC, 0); });
  if (r >= 0) Adopt(GetAddon(info.Env()), r);
  return Napi::Number::New(info.Env(), Result(r));
}

// dup2 and dup3 close newfd's file and make the number refer to oldfd's.
// Before the call, while newfd still refers to the file its watcher
// registered, the watcher is stopped (as Close does: epoll keys a
// registration on the file, and one for a file that lives on elsewhere
// would stay behind and wake the number's new file's waiters). lib/ has
// rejected newfd's waiting calls already. newfd == oldfd closes nothing.
static void BeforeReplacing(Addon* addon, int oldfd, int newfd) {
  if (oldfd != newfd) StopWatching(addon, newfd);
}

// After success: newfd is adopted like an accepted fd, except the stdio
// numbers 0, 1, 2, which are not recorded as owned: a worker that
// redirected its process's stdio (dup2(sock, 1)) must not, when it ends,
// leave the process without a stdout whose number the next open() takes.
static void AfterReplacing(Addon* addon, int oldfd, int newfd) {
  if (oldfd == newfd) return;
  Adopt(addon, newfd);
  if (newfd <= STDERR_FILENO) addon->owned.erase(newfd);
}

// dup2(oldfd, newfd) -> newfd or -errno. As C: newfd is not close-on-exec
// (that is dup2's usual purpose, a child's stdio); dup2(fd, fd) changes
// nothing and returns fd (EBADF if fd is not open). Retrying after EINTR is
// safe: the call is idempotent (the number ends up oldfd's copy either way).
static Napi::Value Dup2(const Napi::CallbackInfo& info) {
  int oldfd = ArgFd(info, 0);
  int newfd = ArgFd(info, 1);
  Addon* addon = GetAddon(info.Env());
  BeforeReplacing(addon, oldfd, newfd);
  int r = RetryEintr([&] { return dup2(oldfd, newfd); });
  if (r >= 0) AfterReplacing(addon, oldfd, newfd);
  return Napi::Number::New(info.Env(), Result(r));
}

#if defined(__linux__)
// dup3(oldfd, newfd, flags) -> newfd or -errno (Linux only; macOS has no
// dup3). flags: O_CLOEXEC or 0; oldfd == newfd is EINVAL, as the kernel says.
static Napi::Value Dup3(const Napi::CallbackInfo& info) {
  int oldfd = ArgFd(info, 0);
  int newfd = ArgFd(info, 1);
  int flags = ArgInt(info, 2, "flags");
  Addon* addon = GetAddon(info.Env());
  BeforeReplacing(addon, oldfd, newfd);
  int r = RetryEintr([&] { return dup3(oldfd, newfd, flags); });
  if (r >= 0) AfterReplacing(addon, oldfd, newfd);
  return Napi::Number::New(info.Env(), Result(r));
}
#endif

// trackOwnership(on): whether this env records the fds it creates, to close
// them when it ends (a worker). lib/native.ts turns it off on the main thread.
static Napi::Value TrackOwnership(const Napi::CallbackInfo& info) {
  if (!info[0].IsBoolean()) ThrowType(info.Env(), "on must be a boolean");
  Addon* addon = GetAddon(info.Env());
  addon->track_owned = info[0].As<Napi::Boolean>().Value();
  if (!addon->track_owned) addon->owned.clear();
  return info.Env().Undefined();
}

void InitFd(Napi::Env env, Napi::Object exports) {
  exports.Set("trackOwnership", Napi::Function::New(env, TrackOwnership, "trackOwnership"));
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("socketpair", Napi::Function::New(env, Socketpair, "socketpair"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("release", Napi::Function::New(env, Release, "release"));
  exports.Set("fcntl", Napi::Function::New(env, Fcntl, "fcntl"));
  exports.Set("dup", Napi::Function::New(env, Dup, "dup"));
  exports.Set("dup2", Napi::Function::New(env, Dup2, "dup2"));
#if defined(__linux__)
  exports.Set("dup3", Napi::Function::New(env, Dup3, "dup3"));
#endif
}

}  // namespace ps
