// Messages: sendmsg, recvmsg, and on Linux sendmmsg and recvmmsg — gather
// and scatter I/O with an address and control messages (ancillary data).
//
// The split with lib/msg.ts and lib/cmsg.ts: TypeScript encodes each control
// message's payload (the struct bytes: an fd array, an in_pktinfo, ...) and
// decodes what comes back; this file lays the messages out with the
// platform's own CMSG_* macros (the header size, alignment and padding differ
// between Linux and macOS) and walks what the kernel returned with them. So
// no layout of struct cmsghdr is ever written down in TypeScript.
//
// What a receive reports, per message, in an Int32Array `meta` lib/ owns:
//   [bytes, msg_flags, namelen, count, then per control message:
//    level, type, offset of its data in the control buffer, data length]
// The stride is 4 + 4 * MaxCmsgs(control length): no control message is
// shorter than CMSG_LEN(0), so that many always fit.
//
// File descriptors received in SCM_RIGHTS are close-on-exec before anything
// else can run (MSG_CMSG_CLOEXEC on Linux, fcntl at once elsewhere) and
// adopted like an accepted fd (native/fd.cc): a worker closes them when it
// ends, and a stale watcher on the number is dropped.
#include "addon.h"
#include "sockaddr.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace ps {

#ifdef MSG_NOSIGNAL
static const int kNoSignal = MSG_NOSIGNAL;  // Linux; macOS uses SO_NOSIGPIPE (fd.cc)
#else
static const int kNoSignal = 0;
#endif

// Linux: received fds are close-on-exec atomically. macOS has no such flag:
// CloexecReceived sets FD_CLOEXEC right after the call instead.
#ifdef MSG_CMSG_CLOEXEC
static const int kCmsgCloexec = MSG_CMSG_CLOEXEC;
#else
static const int kCmsgCloexec = 0;
#endif

#ifdef IOV_MAX
static const size_t kIovMax = IOV_MAX;
#else
static const size_t kIovMax = 1024;
#endif

// The most control bytes one call may lay out: far above what any kernel
// accepts (Linux's net.core.optmem_max is 20480 by default, macOS takes
// about 2 KiB), so the kernel's own limit (ENOBUFS, EINVAL) is what a
// caller meets; this only bounds the memory a hostile argument can make
// this file allocate.
static const size_t kControlMax = 1 << 20;

static const size_t kMetaHead = 4;

static size_t MaxCmsgs(size_t control_length) { return control_length / CMSG_LEN(0); }

// Reading arguments in two phases. Reading an array element or a property
// may run the caller's code (a getter, a Proxy), and that code may transfer
// (detach) a buffer read before it, freeing its memory at the next GC. So
// every value is read first (IovValues, ControlValues, names copied into a
// sockaddr_storage), and only then are the buffers' pointers taken
// (IovPointers, EncodeControl), with no JavaScript running between that and
// the system call: a buffer detached by then is a TypeError (args.cc).

// The array's elements as values. Beyond IOV_MAX the kernel refuses the call
// whatever the count (EMSGSIZE), so only IOV_MAX + 1 entries are read and
// passed on: the kernel gives its own answer without this file reading (or
// allocating for) a million elements.
static void IovValues(Napi::Env env, Napi::Value value, const char* name, std::vector<napi_value>* out) {
  if (!value.IsArray()) ThrowType(env, "%s must be an array of buffers", name);
  Napi::Array a = value.As<Napi::Array>();
  size_t n = std::min<size_t>(a.Length(), kIovMax + 1);
  out->resize(n);
  for (size_t i = 0; i < n; i++) (*out)[i] = a.Get(static_cast<uint32_t>(i));
}

// The values' memory, as iovecs. Runs no JavaScript.
static void IovPointers(Napi::Env env, const std::vector<napi_value>& values, const char* name, std::vector<iovec>* iov) {
  iov->resize(values.size());
  for (size_t i = 0; i < values.size(); i++) {
    Bytes b = BytesOf(env, Napi::Value(env, values[i]), name);
    (*iov)[i].iov_base = b.data;
    (*iov)[i].iov_len = b.length;
  }
}

// Control messages to send, from lib/: a flat array of triples
// [level, type, data, level, type, data, ...], or null/undefined for none.
struct ControlValues {
  std::vector<int> level, type;
  std::vector<napi_value> data;
};

static void ReadControl(Napi::Env env, Napi::Value value, ControlValues* out) {
  out->level.clear();
  out->type.clear();
  out->data.clear();
  if (value.IsNull() || value.IsUndefined()) return;
  if (!value.IsArray()) ThrowType(env, "control must be an array");
  Napi::Array a = value.As<Napi::Array>();
  uint32_t n = a.Length();
  if (n % 3 != 0) ThrowType(env, "control must hold [level, type, data] triples");
  // Each message takes at least CMSG_SPACE(0) bytes: refuse a count that
  // cannot fit before allocating for it (a sparse array's length is free).
  if (n / 3 > kControlMax / CMSG_SPACE(0))
    ThrowRange(env, "control messages are limited to %zu bytes", kControlMax);
  for (uint32_t i = 0; i < n / 3; i++) {
    Napi::Value level = a.Get(3 * i), type = a.Get(3 * i + 1), data = a.Get(3 * i + 2);
    out->level.push_back(IntOf(env, level, "control level"));
    out->type.push_back(IntOf(env, type, "control type"));
    out->data.push_back(data);
  }
}

// Lays the messages out into `buf` with CMSG_SPACE per message, each header
// written through CMSG_NXTHDR. Runs no JavaScript.
static void EncodeControl(Napi::Env env, const ControlValues& c, std::vector<char>* buf) {
  buf->clear();
  size_t count = c.data.size();
  std::vector<Bytes> data(count);
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    data[i] = BytesOf(env, Napi::Value(env, c.data[i]), "control data");
    if (data[i].length > kControlMax) ThrowRange(env, "control messages are limited to %zu bytes", kControlMax);
    total += CMSG_SPACE(data[i].length);
    if (total > kControlMax) ThrowRange(env, "control messages are limited to %zu bytes", kControlMax);
  }
  if (total == 0) return;
  // Zeroed: the padding CMSG_SPACE adds goes to the kernel too.
  buf->assign(total, 0);
  msghdr m{};
  m.msg_control = buf->data();
  m.msg_controllen = total;
  cmsghdr* h = CMSG_FIRSTHDR(&m);
  for (size_t i = 0; i < count && h != nullptr; i++) {
    h->cmsg_level = c.level[i];
    h->cmsg_type = c.type[i];
    h->cmsg_len = CMSG_LEN(data[i].length);
    if (data[i].length > 0) memcpy(CMSG_DATA(h), data[i].data, data[i].length);
    h = CMSG_NXTHDR(&m, h);
  }
}

// struct cmsghdr's alignment: CMSG_ALIGN(1). A control buffer the kernel
// fills must start at a multiple of it (the headers are read in place).
static const size_t kCmsgAlign = CMSG_SPACE(1) - CMSG_SPACE(0);

static void CheckAligned(Napi::Env env, const Bytes& b, const char* name) {
  if (reinterpret_cast<uintptr_t>(b.data) % kCmsgAlign != 0)
    ThrowRange(env, "%s must start at a multiple of %zu bytes (struct cmsghdr's alignment)", name, kCmsgAlign);
}

// After a receive: makes every received fd close-on-exec (where the call
// could not) and adopts it, and records each control message in `meta`
// (see the top of this file). Whatever the kernel delivered is handled, a
// truncated last message (MSG_CTRUNC) included: its data is clamped to the
// bytes actually in the buffer, and every fd in those bytes is returned.
static int32_t ReportControl(Addon* addon, msghdr* m, const char* base, int32_t* meta, size_t max) {
  int32_t count = 0;
  if (m->msg_control == nullptr || m->msg_controllen < sizeof(cmsghdr)) return 0;
  const char* end = static_cast<const char*>(m->msg_control) + m->msg_controllen;
  for (cmsghdr* c = CMSG_FIRSTHDR(m); c != nullptr; c = CMSG_NXTHDR(m, c)) {
    if (c->cmsg_len < CMSG_LEN(0)) break;
    const char* data = reinterpret_cast<const char*>(CMSG_DATA(c));
    if (data > end) break;
    size_t len = std::min<size_t>(c->cmsg_len - CMSG_LEN(0), static_cast<size_t>(end - data));
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      size_t nfds = len / sizeof(int);
      for (size_t i = 0; i < nfds; i++) {
        int fd;
        memcpy(&fd, data + i * sizeof(int), sizeof fd);
        if (kCmsgCloexec == 0) RetryEintr([&] { return fcntl(fd, F_SETFD, FD_CLOEXEC); });
        // Never happens (max counts every message that fits), but an fd
        // that cannot be reported must not stay open unseen.
        if (static_cast<size_t>(count) >= max) {
          close(fd);
          continue;
        }
        Adopt(addon, fd);
      }
    }
    if (static_cast<size_t>(count) >= max) continue;
    meta[kMetaHead + 4 * count] = c->cmsg_level;
    meta[kMetaHead + 4 * count + 1] = c->cmsg_type;
    meta[kMetaHead + 4 * count + 2] = static_cast<int32_t>(data - base);
    meta[kMetaHead + 4 * count + 3] = static_cast<int32_t>(len);
    count++;
  }
  return count;
}

// Checks an Int32Array big enough for `messages` strides of the layout above.
static int32_t* MetaOf(Napi::Env env, const Napi::CallbackInfo& info, size_t i, size_t stride, size_t messages) {
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    ThrowType(env, "meta must be an Int32Array");
  Bytes b = ArgBytes(info, i, "meta");
  if (b.length / sizeof(int32_t) < stride * messages)
    ThrowRange(env, "meta must hold %zu integers", stride * messages);
  return reinterpret_cast<int32_t*>(b.data);
}

// A byte view to receive into that may be null (no names, no control).
static Bytes OptionalBytes(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info[i].IsNull() || info[i].IsUndefined()) return Bytes{nullptr, 0};
  return ArgBytes(info, i, name);
}

// sendmsg(fd, iov, name, control, flags) -> bytes sent or -errno.
// iov: buffers gathered in order; name: an address (object or encoded bytes)
// or null; control: [level, type, data] triples or null.
static Napi::Value Sendmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int flags = ArgInt(info, 4, "flags");
  // Values first (caller code may run), pointers last: see IovValues.
  std::vector<napi_value> values;
  IovValues(env, info[1], "iov", &values);
  sockaddr_storage ss;
  msghdr m{};
  if (!info[2].IsNull() && !info[2].IsUndefined()) {
    m.msg_namelen = ArgSockaddr(info, 2, &ss);
    m.msg_name = &ss;
  }
  ControlValues cv;
  ReadControl(env, info[3], &cv);
  std::vector<iovec> iov;
  IovPointers(env, values, "iov", &iov);
  std::vector<char> control;
  EncodeControl(env, cv, &control);
  m.msg_iov = iov.data();
  m.msg_iovlen = iov.size();
  m.msg_control = control.empty() ? nullptr : control.data();
  m.msg_controllen = control.size();
  ssize_t r = RetryEintrTimed(fd, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool nb) {
    return sendmsg(fd, &m, flags | kNoSignal | (nb ? MSG_DONTWAIT : 0));
  });
  return Napi::Number::New(env, Result(r));
}

// recvmsg(fd, iov, control, flags, name, meta) -> bytes received or -errno.
// iov: buffers filled in order; control: the control buffer or null; name:
// a buffer of sockaddr_storage's size for the sender, or null; meta: see the
// top of this file (one message).
static Napi::Value Recvmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  int flags = ArgInt(info, 3, "flags");
  // Values first (caller code may run), pointers last: see IovValues.
  std::vector<napi_value> values;
  IovValues(env, info[1], "iov", &values);
  Bytes control = OptionalBytes(info, 2, "control");
  if (control.data != nullptr) CheckAligned(env, control, "control");
  Bytes name = OptionalBytes(info, 4, "name");
  if (name.data != nullptr && name.length < sizeof(sockaddr_storage))
    ThrowRange(env, "name must hold %zu bytes", sizeof(sockaddr_storage));
  size_t max = MaxCmsgs(control.length);
  int32_t* meta = MetaOf(env, info, 5, kMetaHead + 4 * max, 1);
  std::vector<iovec> iov;
  IovPointers(env, values, "iov", &iov);
  msghdr m{};
  ssize_t r = RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool nb) {
    m = msghdr{};
    m.msg_name = name.data;
    m.msg_namelen = name.data != nullptr ? sizeof(sockaddr_storage) : 0;
    m.msg_iov = iov.data();
    m.msg_iovlen = iov.size();
    m.msg_control = control.data;
    m.msg_controllen = control.length;
    return recvmsg(fd, &m, flags | kCmsgCloexec | (nb ? MSG_DONTWAIT : 0));
  });
  if (r >= 0) {
    meta[0] = static_cast<int32_t>(std::min<ssize_t>(r, INT32_MAX));
    meta[1] = m.msg_flags;
    meta[2] = static_cast<int32_t>(m.msg_namelen);
    meta[3] = ReportControl(GetAddon(env), &m, reinterpret_cast<const char*>(control.data), meta, max);
  }
  return Napi::Number::New(env, Result(r));
}

#if defined(__linux__)
// sendmmsg(fd, msgs, flags) -> messages sent or -errno. msgs: an array of
// [iov, name, control] as sendmsg takes them. Linux sends at most
// UIO_MAXIOV (1024) messages per call and ignores the rest, so only those
// are read.
static Napi::Value Sendmmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  if (!info[1].IsArray()) ThrowType(env, "msgs must be an array");
  Napi::Array msgs = info[1].As<Napi::Array>();
  int flags = ArgInt(info, 2, "flags");
  size_t n = std::min<size_t>(msgs.Length(), 1024);
  std::vector<mmsghdr> hdr(n);
  std::vector<std::vector<napi_value>> values(n);
  std::vector<std::vector<iovec>> iov(n);
  std::vector<sockaddr_storage> names(n);
  std::vector<ControlValues> cv(n);
  std::vector<std::vector<char>> control(n);
  // Every message's values first (caller code may run), then every pointer.
  for (size_t i = 0; i < n; i++) {
    Napi::Value v = msgs.Get(static_cast<uint32_t>(i));
    if (!v.IsArray() || v.As<Napi::Array>().Length() != 3) ThrowType(env, "each message must be [iov, name, control]");
    Napi::Array msg = v.As<Napi::Array>();
    IovValues(env, msg.Get(0u), "iov", &values[i]);
    msghdr& m = hdr[i].msg_hdr;
    m = msghdr{};
    Napi::Value name = msg.Get(1u);
    if (!name.IsNull() && !name.IsUndefined()) {
      m.msg_namelen = ToSockaddr(env, name, &names[i]);
      m.msg_name = &names[i];
    }
    ReadControl(env, msg.Get(2u), &cv[i]);
    hdr[i].msg_len = 0;
  }
  for (size_t i = 0; i < n; i++) {
    IovPointers(env, values[i], "iov", &iov[i]);
    EncodeControl(env, cv[i], &control[i]);
    msghdr& m = hdr[i].msg_hdr;
    m.msg_iov = iov[i].data();
    m.msg_iovlen = iov[i].size();
    m.msg_control = control[i].empty() ? nullptr : control[i].data();
    m.msg_controllen = control[i].size();
  }
  int r = RetryEintrTimed(fd, SO_SNDTIMEO, POLLOUT, EAGAIN, [&](bool nb) {
    return sendmmsg(fd, hdr.data(), static_cast<unsigned>(n), flags | kNoSignal | (nb ? MSG_DONTWAIT : 0));
  });
  return Napi::Number::New(env, Result(r));
}

// recvmmsg(fd, data, length, vlen, control, controlLength, flags, names, meta)
// -> messages received or -errno. Message i is received into
// data[i*length, (i+1)*length), its control messages into
// control[i*S, i*S + controlLength) (S: controlLength rounded up to
// CMSG_ALIGNMENT, so every header is aligned), its sender into names[i*SS, ...) (SS =
// sizeof(sockaddr_storage); names may be null). The kernel's timeout argument
// is never used (it is checked only after each datagram arrives); lib/ waits
// for readiness instead, and the ...Sync form passes MSG_WAITFORONE.
static Napi::Value Recvmmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0);
  Bytes data = ArgBytes(info, 1, "data");
  size_t length = ArgUint32(info, 2, "length");
  size_t vlen = ArgUint32(info, 3, "vlen");
  Bytes control = OptionalBytes(info, 4, "control");
  size_t control_length = ArgUint32(info, 5, "controlLength");
  int flags = ArgInt(info, 6, "flags");
  Bytes names = OptionalBytes(info, 7, "names");
  if (vlen > 1024) ThrowRange(env, "vlen must be at most 1024");
  if (data.length < length * vlen) ThrowRange(env, "data must hold vlen * length bytes");
  // Each message's control area starts aligned for struct cmsghdr.
  size_t control_stride = (control_length + kCmsgAlign - 1) / kCmsgAlign * kCmsgAlign;
  if (control_length > 0) {
    if (control.length < control_stride * vlen)
      ThrowRange(env, "control must hold vlen * controlLength bytes, each rounded up to %zu", kCmsgAlign);
    CheckAligned(env, control, "control");
  }
  if (names.data != nullptr && names.length < sizeof(sockaddr_storage) * vlen)
    ThrowRange(env, "names must hold vlen * %zu bytes", sizeof(sockaddr_storage));
  size_t max = MaxCmsgs(control_length);
  size_t stride = kMetaHead + 4 * max;
  int32_t* meta = MetaOf(env, info, 8, stride, vlen);
  std::vector<mmsghdr> hdr(vlen);
  std::vector<iovec> iov(vlen);
  auto reset = [&] {
    for (size_t i = 0; i < vlen; i++) {
      iov[i].iov_base = data.data + i * length;
      iov[i].iov_len = length;
      msghdr& m = hdr[i].msg_hdr;
      m = msghdr{};
      m.msg_iov = &iov[i];
      m.msg_iovlen = 1;
      if (names.data != nullptr) {
        m.msg_name = names.data + i * sizeof(sockaddr_storage);
        m.msg_namelen = sizeof(sockaddr_storage);
      }
      if (control_length > 0) {
        m.msg_control = control.data + i * control_stride;
        m.msg_controllen = control_length;
      }
      hdr[i].msg_len = 0;
    }
  };
  int r = RetryEintrTimed(fd, SO_RCVTIMEO, POLLIN, EAGAIN, [&](bool nb) {
    reset();
    return recvmmsg(fd, hdr.data(), static_cast<unsigned>(vlen), flags | kCmsgCloexec | (nb ? MSG_DONTWAIT : 0),
                    nullptr);
  });
  Addon* addon = GetAddon(env);
  for (int i = 0; i < r; i++) {
    int32_t* mm = meta + i * stride;
    msghdr& m = hdr[i].msg_hdr;
    mm[0] = static_cast<int32_t>(hdr[i].msg_len);
    mm[1] = m.msg_flags;
    mm[2] = static_cast<int32_t>(m.msg_namelen);
    mm[3] = ReportControl(addon, &m, reinterpret_cast<const char*>(control.data), mm, max);
  }
  return Napi::Number::New(env, Result(r));
}
#endif

// CMSG_SPACE(n) / CMSG_LEN(n): the platform's own macros.
static Napi::Value CmsgSpace(const Napi::CallbackInfo& info) {
  uint32_t n = ArgUint32(info, 0, "length");
  if (n > kControlMax) ThrowRange(info.Env(), "length must be at most %zu", kControlMax);
  return Napi::Number::New(info.Env(), static_cast<double>(CMSG_SPACE(n)));
}

static Napi::Value CmsgLen(const Napi::CallbackInfo& info) {
  uint32_t n = ArgUint32(info, 0, "length");
  if (n > kControlMax) ThrowRange(info.Env(), "length must be at most %zu", kControlMax);
  return Napi::Number::New(info.Env(), static_cast<double>(CMSG_LEN(n)));
}

void InitMsg(Napi::Env env, Napi::Object exports) {
  exports.Set("sendmsg", Napi::Function::New(env, Sendmsg, "sendmsg"));
  exports.Set("recvmsg", Napi::Function::New(env, Recvmsg, "recvmsg"));
#if defined(__linux__)
  exports.Set("sendmmsg", Napi::Function::New(env, Sendmmsg, "sendmmsg"));
  exports.Set("recvmmsg", Napi::Function::New(env, Recvmmsg, "recvmmsg"));
#endif
  exports.Set("CMSG_SPACE", Napi::Function::New(env, CmsgSpace, "CMSG_SPACE"));
  exports.Set("CMSG_LEN", Napi::Function::New(env, CmsgLen, "CMSG_LEN"));
  exports.Set("CONTROL_MAX", Napi::Number::New(env, static_cast<double>(kControlMax)));
  exports.Set("CMSG_ALIGNMENT", Napi::Number::New(env, static_cast<double>(kCmsgAlign)));
}

}  // namespace ps
